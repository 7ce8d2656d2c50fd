import { describe, expect, it } from 'vitest';
import { formatBytes } from './formatBytes.js';
import { formatClock, formatDuration } from './formatDuration.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [1_500_000, '1.5 MB'],
    [12_345_678, '12.3 MB'],
    [123_456_789, '123 MB'],
    [999_999, '1 MB'],
    [5 * 2 ** 40, '5.5 TB'],
    [-1, '–'],
    [Number.NaN, '–'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [0.2, '1 s'],
    [59.5, '1 min'],
    [245.2, '4 min 6 s'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%d s → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [7.9, '0:07'],
    [65, '1:05'],
    [3723, '1:02:03'],
  ])('%d s → %s', (seconds, text) => expect(formatClock(seconds)).toBe(text));
});
