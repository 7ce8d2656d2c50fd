import { describe, expect, it } from 'vitest';
import { listsEveryPart, replayRequestOf } from './completionReplay.js';

const part = (partNumber: number, size: number) => ({ partNumber, size, etag: `etag-${partNumber}`, checksum: null });

describe('replayRequestOf', () => {
  it.each([
    { name: 'a file: the declared size', size: 25, parts: [part(1, 10), part(2, 10), part(3, 5)], expected: 25 },
    { name: 'a recording: what its parts add up to', size: null, parts: [part(1, 10), part(2, 3)], expected: 13 },
    { name: 'no parts at all', size: null, parts: [], expected: 0 },
  ])('$name', ({ size, parts, expected }) => {
    expect(replayRequestOf({ size, parts })).toStrictEqual({
      parts: parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
      size: expected,
    });
  });
});

describe('listsEveryPart', () => {
  const planned = [
    { partNumber: 1, size: 10 },
    { partNumber: 2, size: 10 },
    { partNumber: 3, size: 5 },
  ];
  it.each([
    { name: 'every part, as planned', stored: [part(1, 10), part(2, 10), part(3, 5)], expected: true },
    { name: 'the last part missing (its checkpoint was not written)', stored: [part(1, 10), part(2, 10)], expected: false },
    { name: 'a part in the middle missing', stored: [part(1, 10), part(3, 5)], expected: false },
    { name: 'the last part of another size', stored: [part(1, 10), part(2, 10), part(3, 4)], expected: false },
    { name: 'a part beyond the plan', stored: [part(1, 10), part(2, 10), part(3, 5), part(4, 1)], expected: false },
    { name: 'no parts', stored: [], expected: false },
  ])('$name: $expected', ({ stored, expected }) => {
    expect(listsEveryPart(stored, planned)).toBe(expected);
  });

  it('is false for an empty plan (nothing to complete)', () => {
    expect(listsEveryPart([], [])).toBe(false);
  });
});
