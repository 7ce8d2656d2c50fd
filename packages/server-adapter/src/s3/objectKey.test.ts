import { describe, expect, it } from 'vitest';
import type { ObjectKeyInput } from '../types.js';
import { checkFileName } from '../validate.js';
import { defaultObjectKey, objectKeyProblem, safeKeySegment } from './objectKey.js';

const input = (overrides: Partial<ObjectKeyInput> = {}): ObjectKeyInput => ({
  userId: 'ada',
  fileName: 'talk.webm',
  contentType: 'video/webm',
  size: 1,
  randomId: 'f1',
  ...overrides,
});

describe('defaultObjectKey', () => {
  it.each([
    { name: 'a plain name', overrides: {}, key: 'uploads/ada/f1/talk.webm' },
    { name: 'a unicode name', overrides: { fileName: 'Résumé (2).mp4' }, key: 'uploads/ada/f1/Résumé (2).mp4' },
    { name: 'a user id with a slash', overrides: { userId: 'org/ada' }, key: 'uploads/org_ada/f1/talk.webm' },
    { name: 'a user id of two dots', overrides: { userId: '..' }, key: 'uploads/_/f1/talk.webm' },
    { name: 'an empty user id', overrides: { userId: '' }, key: 'uploads/file/f1/talk.webm' },
    { name: 'a hidden file', overrides: { fileName: '.env' }, key: 'uploads/ada/f1/_env' },
    {
      name: 'a uuid',
      overrides: { randomId: '0b3c2a9e-8d1f-4c55-9a3e-7d1f2c3b4a5e' },
      key: 'uploads/ada/0b3c2a9e-8d1f-4c55-9a3e-7d1f2c3b4a5e/talk.webm',
    },
    { name: 'a null size', overrides: { size: null }, key: 'uploads/ada/f1/talk.webm' },
  ])('builds uploads/<user>/<id>/<name> for $name', ({ overrides, key }) => {
    expect(defaultObjectKey(input(overrides))).toBe(key);
  });

  it('keeps a user id to 100 characters and a file name to 200', () => {
    const key = defaultObjectKey(input({ userId: 'u'.repeat(150), fileName: 'n'.repeat(250) }));
    expect(key).toBe(`uploads/${'u'.repeat(100)}/f1/${'n'.repeat(200)}`);
  });

  it.each([
    '../../etc/passwd',
    '..',
    '.',
    '/',
    'a//b',
    'C:\\Windows\\system32',
    'a\u0000b\r\nc',
    'invoice\u202egpj.exe',
    '%2e%2e%2f',
    '',
  ])('turns the hostile name %j into a valid key of four segments', (fileName) => {
    const key = defaultObjectKey(input({ userId: '../x', fileName }));
    expect(objectKeyProblem(key)).toBeNull();
    expect(key.split('/')).toHaveLength(4);
    expect(key.startsWith('uploads/_')).toBe(true);
  });
});

describe('safeKeySegment', () => {
  it.each([
    { text: 'talk.webm', segment: 'talk.webm' },
    { text: 'My Talk (final).mp4', segment: 'My Talk (final).mp4' },
    { text: '日本語.mov', segment: '日本語.mov' },
    { text: 'a/b', segment: 'a_b' },
    { text: 'a\\b', segment: 'a_b' },
    { text: '..', segment: '_' },
    { text: '.', segment: '_' },
    { text: '...hidden', segment: '_hidden' },
    { text: '.env', segment: '_env' },
    { text: 'a..b', segment: 'a..b' },
    { text: 'trailing.', segment: 'trailing.' },
    { text: 'a\u0000b', segment: 'a_b' },
    { text: 'a\r\nb', segment: 'a__b' },
    { text: 'a\tb', segment: 'a_b' },
    { text: 'a\u007fb', segment: 'a_b' },
    { text: 'a\u0085b', segment: 'a_b' },
    { text: 'invoice\u202egpj.exe', segment: 'invoice_gpj.exe' },
    { text: 'a\u2066b', segment: 'a_b' },
    { text: 'Résumé – final', segment: 'Résumé _ final' },
    { text: 'a?b#c%d&e', segment: 'a_b_c_d_e' },
    { text: '🎬.mp4', segment: '_.mp4' },
    { text: '', segment: 'file' },
  ])('maps $text to $segment', ({ text, segment }) => {
    expect(safeKeySegment(text)).toBe(segment);
  });

  it('composes decomposed accents (NFC) so the same name gives the same key', () => {
    expect(safeKeySegment('Re\u0301sume\u0301.mp4')).toBe('Résumé.mp4');
  });

  it.each([
    { maxLength: 200, length: 300, expected: 200 },
    { maxLength: 100, length: 300, expected: 100 },
    { maxLength: 10, length: 10, expected: 10 },
    { maxLength: 10, length: 3, expected: 3 },
  ])('truncates $length characters to $expected with maxLength $maxLength', ({ maxLength, length, expected }) => {
    expect(safeKeySegment('x'.repeat(length), maxLength)).toBe('x'.repeat(expected));
  });

  // BUG: the truncation counts UTF-16 code units and can cut an astral character in half. This name passes
  // checkFileName (203 UTF-8 bytes) yet its segment ends in a lone surrogate, which the AWS SDK cannot
  // URI-encode (URIError), so creating the upload fails. Remove `.fails` once safeKeySegment is fixed.
  it('never cuts a character in half when truncating', () => {
    const fileName = `${'a'.repeat(199)}𝒜`;
    expect(() => checkFileName(fileName)).not.toThrow();
    const segment = safeKeySegment(fileName);
    expect(() => encodeURIComponent(segment)).not.toThrow();
  });
});

describe('objectKeyProblem', () => {
  it.each([
    { name: 'the default shape', key: 'uploads/ada/f1/talk.webm', expected: true },
    { name: 'a single segment', key: 'talk.webm', expected: true },
    { name: 'dots inside a segment', key: 'a/b..c/d', expected: true },
    { name: 'a hidden-file segment', key: 'a/.env', expected: true },
    { name: 'unicode', key: 'uploads/日本語/Résumé.mp4', expected: true },
    { name: '1024 ASCII bytes', key: 'a'.repeat(1024), expected: true },
    { name: '1024 UTF-8 bytes', key: 'é'.repeat(512), expected: true },
    { name: 'an empty key', key: '', expected: false },
    { name: 'a leading slash', key: '/a', expected: false },
    { name: 'a trailing slash', key: 'a/', expected: false },
    { name: 'a lone slash', key: '/', expected: false },
    { name: 'an empty segment', key: 'a//b', expected: false },
    { name: 'a parent segment', key: 'a/../b', expected: false },
    { name: 'a leading parent segment', key: '../b', expected: false },
    { name: 'a current-directory segment', key: 'a/./b', expected: false },
    { name: 'only two dots', key: '..', expected: false },
    { name: '1025 ASCII bytes', key: 'a'.repeat(1025), expected: false },
    { name: '1026 UTF-8 bytes in 513 characters', key: 'é'.repeat(513), expected: false },
    { name: 'NUL', key: 'a/b\u0000c', expected: false },
    { name: 'LF', key: 'a/b\nc', expected: false },
    { name: 'CR', key: 'a/b\rc', expected: false },
    { name: 'TAB', key: 'a/b\tc', expected: false },
    { name: 'DEL', key: 'a/b\u007fc', expected: false },
    { name: 'U+FFFF', key: 'a/b\uffffc', expected: false },
    { name: 'U+FFFE', key: 'a/b\ufffec', expected: false },
    { name: 'a lone high surrogate', key: 'a/b\ud800c', expected: false },
    { name: 'a lone low surrogate', key: 'a/b\udc00c', expected: false },
    { name: 'a right-to-left mark', key: 'a/b\u200fc', expected: false },
    { name: 'a line separator', key: 'a/b\u2028c', expected: false },
    { name: 'a supplementary noncharacter', key: 'a/b\u{10FFFF}c', expected: false },
    { name: 'an emoji with a zero-width joiner', key: 'a/👩\u200d💻.mp4', expected: true },
  ])('$name: $expected', ({ key, expected }) => {
    expect(objectKeyProblem(key) === null).toBe(expected);
  });
});
