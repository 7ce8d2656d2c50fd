import type { PartSnapshot } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { nextRetryAt, retryingParts, secondsUntil } from './retryCountdown.js';

const part = (partNumber: number, status: PartSnapshot['status'], retryAt: number | null = null): PartSnapshot => ({
  partNumber,
  size: 10,
  status,
  attempt: status === 'retrying' ? 1 : 0,
  reason: status === 'retrying' ? 'http 503' : null,
  retryAt,
});

describe('secondsUntil', () => {
  it.each([
    [10_000, 6_000, 4],
    [10_000, 6_001, 4],
    [10_000, 6_999, 4],
    [10_000, 7_000, 3],
    [10_000, 9_999, 1],
    [10_000, 10_000, 0],
    [10_000, 12_500, 0],
  ])('from %i seen at %i is %i', (retryAt, now, seconds) => {
    expect(secondsUntil(retryAt, now)).toBe(seconds);
  });
});

describe('nextRetryAt and retryingParts', () => {
  it('pick the parts waiting to retry, and the first of their next attempts', () => {
    // A part that left `retrying` keeps its old retryAt in the snapshot: it must not count.
    const parts = [part(1, 'done'), part(2, 'retrying', 9_000), part(3, 'uploading', 1_000), part(4, 'retrying', 7_000)];
    expect(retryingParts(parts).map((one) => one.partNumber)).toEqual([2, 4]);
    expect(nextRetryAt(parts)).toBe(7_000);
    expect(nextRetryAt([part(1, 'done'), part(2, 'ready', 3_000)])).toBeNull();
    expect(nextRetryAt([])).toBeNull();
  });
});
