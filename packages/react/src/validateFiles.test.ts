import { describe, expect, it } from 'vitest';
import { isAccepted, mightBeAccepted, validateFiles } from './validateFiles.js';

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });

describe('isAccepted', () => {
  it.each([
    ['clip.mp4', 'video/mp4', 'video/*', true],
    ['clip.mp4', 'video/mp4', 'image/*', false],
    ['report.PDF', '', '.pdf', true],
    ['report.pdf', 'application/pdf', 'application/pdf', true],
    ['notes.txt', 'text/plain; charset=utf-8', 'text/plain', true],
    ['notes.txt', 'text/plain', ' image/png , .txt ', true],
    ['archive.mkv', '', 'video/*', false],
    ['anything', '', undefined, true],
    ['anything', '', [], true],
    ['photo.jpg', 'image/jpeg', ['image/png', '.jpg'], true],
  ] as const)('%s (%s) against %j: %s', (name, type, accept, expected) => {
    expect(isAccepted({ name, type }, accept)).toBe(expected);
  });
});

describe('mightBeAccepted (while dragging, before names are known)', () => {
  it.each([
    ['video/mp4', 'video/*', true],
    ['image/png', 'video/*', false],
    ['', 'video/*', true],
    ['image/png', '.pdf', true],
    ['image/png', undefined, true],
  ] as const)('%s against %j: %s', (type, accept, expected) => {
    expect(mightBeAccepted(type, accept)).toBe(expected);
  });
});

describe('validateFiles', () => {
  it('gives every reason a file is refused, with typed codes and sentences for people', () => {
    const { accepted, rejected } = validateFiles([file('big.png', 'image/png', 2000)], {
      accept: 'video/*',
      maxSize: 1000,
    });
    expect(accepted).toEqual([]);
    expect(rejected[0]?.reasons).toEqual([
      { code: 'type-not-allowed', message: 'big.png is not an accepted type (accepted: video/*).' },
      { code: 'file-too-large', message: 'big.png is 2 kB; the largest allowed is 1 kB.' },
    ]);
  });

  it('refuses files under minSize', () => {
    const { rejected } = validateFiles([file('tiny.bin', '', 1)], { minSize: 5 });
    expect(rejected[0]?.reasons.map((reason) => reason.code)).toEqual(['file-too-small']);
  });

  it('takes the first maxFiles acceptable files and refuses the rest as too many', () => {
    const files = ['a.mp4', 'b.png', 'c.mp4', 'd.mp4'].map((name) =>
      file(name, name.endsWith('.png') ? 'image/png' : 'video/mp4'),
    );
    const { accepted, rejected } = validateFiles(files, { accept: 'video/*', maxFiles: 2 });
    expect(accepted.map((accepted) => accepted.name)).toEqual(['a.mp4', 'c.mp4']);
    expect(rejected.map(({ file, reasons }) => [file.name, reasons[0]?.code])).toEqual([
      ['b.png', 'type-not-allowed'],
      ['d.mp4', 'too-many-files'],
    ]);
  });
});
