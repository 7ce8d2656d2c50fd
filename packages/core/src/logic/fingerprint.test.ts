import { describe, expect, it } from 'vitest';
import {
  FINGERPRINT_SAMPLE_BYTES,
  type FileFingerprint,
  fingerprintKey,
  fingerprintSampleRanges,
  sameFile,
} from './fingerprint.js';

const MiB = 2 ** 20;

const video: FileFingerprint = {
  name: 'talk.mp4',
  size: 10 * MiB,
  lastModified: 1_700_000_000_000,
  headHash: 'h1',
  tailHash: 't1',
};
const unhashed: FileFingerprint = { ...video, headHash: '', tailHash: '' };

describe('fingerprintSampleRanges', () => {
  it.each([
    { size: 0, ranges: [{ start: 0, end: 0 }] },
    { size: 1, ranges: [{ start: 0, end: 1 }] },
    { size: MiB, ranges: [{ start: 0, end: MiB }] },
    { size: MiB + 1, ranges: [{ start: 0, end: MiB + 1 }] },
    { size: 2 * MiB, ranges: [{ start: 0, end: 2 * MiB }] },
    {
      size: 2 * MiB + 1,
      ranges: [
        { start: 0, end: MiB },
        { start: MiB + 1, end: 2 * MiB + 1 },
      ],
    },
    {
      size: 10 * MiB,
      ranges: [
        { start: 0, end: MiB },
        { start: 9 * MiB, end: 10 * MiB },
      ],
    },
    {
      size: 2 ** 42,
      ranges: [
        { start: 0, end: MiB },
        { start: 2 ** 42 - MiB, end: 2 ** 42 },
      ],
    },
  ])('samples a file of $size bytes', ({ size, ranges }) => {
    expect(fingerprintSampleRanges(size)).toEqual(ranges);
  });

  it('covers a small file fully and hashes no byte twice', () => {
    for (const size of [0, 1, 9, 10, 11, 20, 21, 100]) {
      const ranges = fingerprintSampleRanges(size, 10);
      const covered = ranges.reduce((sum, range) => sum + range.end - range.start, 0);
      expect(covered).toBe(Math.min(size, 20));
      const [head, tail] = ranges;
      if (tail) expect(head?.end).toBeLessThan(tail.start);
      expect(ranges.every((range) => range.start >= 0 && range.end <= size && range.end - range.start <= 20)).toBe(
        true,
      );
    }
  });

  it('defaults to 1 MiB samples', () => {
    expect(FINGERPRINT_SAMPLE_BYTES).toBe(MiB);
  });

  it.each([
    { size: -1, sampleBytes: MiB, field: 'size' },
    { size: 1.5, sampleBytes: MiB, field: 'size' },
    { size: Number.NaN, sampleBytes: MiB, field: 'size' },
    { size: 10, sampleBytes: 0, field: 'sampleBytes' },
    { size: 10, sampleBytes: 0.5, field: 'sampleBytes' },
  ])('refuses size $size with samples of $sampleBytes', ({ size, sampleBytes, field }) => {
    expect(() => fingerprintSampleRanges(size, sampleBytes)).toThrowError(
      expect.objectContaining({ code: 'invalid-field', field }),
    );
  });
});

describe('sameFile', () => {
  it.each<{ name: string; other: FileFingerprint; result: ReturnType<typeof sameFile> }>([
    { name: 'an identical fingerprint', other: { ...video }, result: { same: true } },
    { name: 'a renamed copy', other: { ...video, name: 'talk (1).mp4' }, result: { same: true } },
    { name: 'a re-downloaded copy', other: { ...video, lastModified: 1_800_000_000_000 }, result: { same: true } },
    {
      name: 'a renamed, re-downloaded copy',
      other: { ...video, name: 'x.mp4', lastModified: 1 },
      result: { same: true },
    },
    { name: 'a different size', other: { ...video, size: 10 * MiB + 1 }, result: { same: false, reason: 'size' } },
    {
      name: 'a different size and name',
      other: { ...video, size: 1, name: 'other' },
      result: { same: false, reason: 'size' },
    },
    { name: 'a different head', other: { ...video, headHash: 'h2' }, result: { same: false, reason: 'content' } },
    { name: 'a different tail', other: { ...video, tailHash: 't2' }, result: { same: false, reason: 'content' } },
    { name: 'an unhashed twin', other: unhashed, result: { same: true } },
    {
      name: 'an unhashed, renamed copy',
      other: { ...unhashed, name: 'b.mp4' },
      result: { same: false, reason: 'name' },
    },
    {
      name: 'an unhashed, touched copy',
      other: { ...unhashed, lastModified: 5 },
      result: { same: false, reason: 'lastModified' },
    },
  ])('compares with $name', ({ other, result }) => {
    const reference = other.headHash === '' ? unhashed : video;
    expect(sameFile(reference, other)).toEqual(result);
    expect(sameFile(other, reference)).toEqual(result);
  });

  it('falls back to metadata when only one side is hashed', () => {
    expect(sameFile(video, unhashed)).toEqual({ same: true });
    expect(sameFile(video, { ...unhashed, name: 'b.mp4' })).toEqual({ same: false, reason: 'name' });
  });
});

describe('fingerprintKey', () => {
  it.each([
    { name: 'hashed', fingerprint: video, key: `fp1:${10 * MiB}:h1:t1` },
    { name: 'one-range', fingerprint: { ...video, size: 5, tailHash: '' }, key: 'fp1:5:h1:' },
    {
      name: 'unhashed',
      fingerprint: { ...unhashed, name: 'a:b/ c.mp4' },
      key: `fp1-meta:${10 * MiB}:1700000000000:a%3Ab%2F%20c.mp4`,
    },
  ])('keys a $name fingerprint', ({ fingerprint, key }) => {
    expect(fingerprintKey(fingerprint)).toBe(key);
  });

  it('gives equal keys exactly when sameFile says same (hashed fingerprints)', () => {
    const variants = [
      video,
      { ...video, name: 'n' },
      { ...video, lastModified: 2 },
      { ...video, size: 3 },
      { ...video, headHash: 'x' },
      { ...video, tailHash: 'y' },
    ];
    for (const a of variants) {
      for (const b of variants) expect(fingerprintKey(a) === fingerprintKey(b)).toBe(sameFile(a, b).same);
    }
  });
});
