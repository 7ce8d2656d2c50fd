import { describe, expect, it } from 'vitest';
import { TesseraError } from '../errors.js';
import { DEFAULT_PART_SIZE, partRange, planPartSize, planParts, S3_LIMITS } from './planParts.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;

describe('planParts', () => {
  it.each([
    { size: 0, partSize: DEFAULT_PART_SIZE, partCount: 1, lastPartSize: 0 },
    { size: 1, partSize: DEFAULT_PART_SIZE, partCount: 1, lastPartSize: 1 },
    { size: 8 * MiB, partSize: 8 * MiB, partCount: 1, lastPartSize: 8 * MiB },
    { size: 8 * MiB + 1, partSize: 8 * MiB, partCount: 2, lastPartSize: 1 },
    { size: 20 * MiB, partSize: 8 * MiB, partCount: 3, lastPartSize: 4 * MiB },
    { size: 80_000 * MiB, partSize: 8 * MiB, partCount: 10_000, lastPartSize: 8 * MiB },
    { size: 80_000 * MiB + 1, partSize: 9 * MiB, partCount: 8889, lastPartSize: 80_000 * MiB + 1 - 8888 * 9 * MiB },
    // 200 GiB would take 25,600 parts of 8 MiB: 21 MiB parts keep it within 10,000.
    { size: 200 * GiB, partSize: 21 * MiB, partCount: 9753, lastPartSize: 8 * MiB },
    { size: 5 * TiB, partSize: 525 * MiB, partCount: 9987, lastPartSize: 5 * TiB - 9986 * 525 * MiB },
  ])('plans $size bytes', ({ size, partSize, partCount, lastPartSize }) => {
    expect(planParts(size)).toEqual({ partSize, partCount, lastPartSize });
  });

  it('keeps every plan within S3 limits across sizes', () => {
    for (const size of [1, 5 * MiB - 1, 5 * MiB, 123_456_789, 99 * GiB + 7, 200 * GiB, TiB, 3 * TiB + 12345, 5 * TiB]) {
      const plan = planParts(size);
      expect(plan.partCount).toBeLessThanOrEqual(S3_LIMITS.maxParts);
      expect(plan.partSize).toBeLessThanOrEqual(S3_LIMITS.maxPartSize);
      expect(plan.partSize).toBeGreaterThanOrEqual(S3_LIMITS.minPartSize);
      expect(plan.partSize % MiB).toBe(0);
      expect(plan.lastPartSize).toBeGreaterThan(0);
      expect(plan.lastPartSize).toBeLessThanOrEqual(plan.partSize);
      expect((plan.partCount - 1) * plan.partSize + plan.lastPartSize).toBe(size);
    }
  });

  it('honours a preferred size but never goes under the minimum', () => {
    expect(planParts(100 * MiB, { preferredPartSize: 16 * MiB }).partSize).toBe(16 * MiB);
    expect(planParts(100 * MiB, { preferredPartSize: MiB }).partSize).toBe(5 * MiB);
    expect(planParts(100 * MiB, { preferredPartSize: MiB, minPartSize: MiB }).partSize).toBe(MiB);
    // A test store with tiny parts: the preferred size is kept while it fits in 10,000 parts.
    expect(planParts(100 * 64 * 1024, { preferredPartSize: 64 * 1024, minPartSize: 64 * 1024 })).toEqual({
      partSize: 64 * 1024,
      partCount: 100,
      lastPartSize: 64 * 1024,
    });
    expect(planParts(10_001 * 64 * 1024, { preferredPartSize: 64 * 1024, minPartSize: 64 * 1024 }).partSize).toBe(MiB);
  });

  it('refuses sizes that cannot be planned', () => {
    expect(() => planParts(-1)).toThrow(TesseraError);
    expect(() => planParts(1.5)).toThrow(/non-negative integer/);
    expect(() => planParts(Number.NaN)).toThrow(TesseraError);
    const tooBig = S3_LIMITS.maxParts * S3_LIMITS.maxPartSize + 1;
    expect(() => planParts(tooBig)).toThrowError(expect.objectContaining({ code: 'file-too-large', field: 'size' }));
  });

  it('sizes a growing source so its maximum fits', () => {
    expect(planPartSize(50 * GiB)).toBe(DEFAULT_PART_SIZE);
    expect(planPartSize(200 * GiB)).toBe(21 * MiB);
    expect(planPartSize(5 * TiB)).toBe(525 * MiB);
    // Whatever size it stops at, up to its maximum, it fits in 10,000 parts of that size.
    for (const maximum of [200 * GiB, 5 * TiB]) {
      const partSize = planPartSize(maximum);
      expect(Math.ceil(maximum / partSize)).toBeLessThanOrEqual(S3_LIMITS.maxParts);
      expect(partSize).toBeLessThanOrEqual(S3_LIMITS.maxPartSize);
    }
  });
});

describe('partRange', () => {
  it('gives half-open ranges that tile the file', () => {
    expect(partRange(1, 8, 20)).toEqual({ start: 0, end: 8 });
    expect(partRange(2, 8, 20)).toEqual({ start: 8, end: 16 });
    expect(partRange(3, 8, 20)).toEqual({ start: 16, end: 20 });
  });
});
