import { planParts } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { expectedPartSize } from './context.js';
import type { UploadTokenClaims } from './types.js';

const MiB = 1024 * 1024;

function claimsFor(size: number | null, partSize: number, partCount: number | null): UploadTokenClaims {
  return {
    uploadId: 'upload-1',
    key: 'uploads/ada/f1/talk.webm',
    objectId: 'f1',
    userId: 'ada',
    size,
    maxSize: 50 * 1024 * MiB,
    minSize: 1,
    partSize,
    partCount,
    contentType: 'video/webm',
    sha256: null,
    checksumAlgorithm: 'md5',
    expiresAt: 1_800_000_000,
  };
}

describe('expectedPartSize', () => {
  it.each([
    { name: 'a first part', size: 20 * MiB + 1, partCount: 3, partNumber: 1, expected: 8 * MiB },
    { name: 'a middle part', size: 20 * MiB + 1, partCount: 3, partNumber: 2, expected: 8 * MiB },
    { name: 'a short last part', size: 20 * MiB + 1, partCount: 3, partNumber: 3, expected: 4 * MiB + 1 },
    { name: 'a full last part', size: 16 * MiB, partCount: 2, partNumber: 2, expected: 8 * MiB },
    { name: 'a one-byte last part', size: 16 * MiB + 1, partCount: 3, partNumber: 3, expected: 1 },
    { name: 'the only part of a small file', size: 100, partCount: 1, partNumber: 1, expected: 100 },
    { name: 'the only part of an empty file', size: 0, partCount: 1, partNumber: 1, expected: 0 },
  ])('$name: $expected bytes', ({ size, partCount, partNumber, expected }) => {
    expect(expectedPartSize(claimsFor(size, 8 * MiB, partCount), partNumber)).toBe(expected);
  });

  it.each([0, 1, 5 * MiB, 8 * MiB - 1, 8 * MiB, 8 * MiB + 1, 100 * MiB + 7, 5 * 1024 * MiB])(
    'agrees with planParts for a file of %i bytes: parts add up to the size',
    (size) => {
      const plan = planParts(size, { preferredPartSize: 8 * MiB, minPartSize: 5 * MiB });
      const claims = claimsFor(size, plan.partSize, plan.partCount);
      const sizes = Array.from({ length: plan.partCount }, (_, index) => expectedPartSize(claims, index + 1) ?? -1);
      expect(sizes.at(-1)).toBe(plan.lastPartSize);
      expect(sizes.slice(0, -1).every((partSize) => partSize === plan.partSize)).toBe(true);
      expect(sizes.reduce((sum, partSize) => sum + partSize, 0)).toBe(size);
    },
  );

  it.each([
    { name: 'unknown size and count', size: null, partCount: null, partNumber: 1 },
    { name: 'unknown size, a later part', size: null, partCount: null, partNumber: 500 },
    { name: 'a size without a part count', size: 100, partCount: null, partNumber: 1 },
  ])('is null for $name', ({ size, partCount, partNumber }) => {
    expect(expectedPartSize(claimsFor(size, 8 * MiB, partCount), partNumber)).toBeNull();
  });
});
