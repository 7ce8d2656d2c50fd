import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, DEFAULT_RETRY } from './backoff.js';

/** A small seeded PRNG (mulberry32) so the distribution test is repeatable. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const justBelowOne = () => 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it.each([
    { attempt: 0, ceiling: 500 },
    { attempt: 1, ceiling: 1_000 },
    { attempt: 2, ceiling: 2_000 },
    { attempt: 3, ceiling: 4_000 },
    { attempt: 4, ceiling: 8_000 },
    { attempt: 5, ceiling: 16_000 },
    { attempt: 6, ceiling: 30_000 },
    { attempt: 7, ceiling: 30_000 },
    { attempt: 20, ceiling: 30_000 },
    { attempt: 100, ceiling: 30_000 },
    { attempt: 1_100, ceiling: 30_000 },
    { attempt: Number.POSITIVE_INFINITY, ceiling: 30_000 },
    { attempt: -1, ceiling: 500 },
    { attempt: Number.NaN, ceiling: 500 },
    { attempt: 2.7, ceiling: 2_000 },
  ])('stays within [0, $ceiling) after attempt $attempt', ({ attempt, ceiling }) => {
    expect(backoffCeiling(attempt)).toBe(ceiling);
    expect(backoffDelay(attempt, () => 0)).toBe(0);
    const highest = backoffDelay(attempt, justBelowOne);
    expect(Number.isFinite(highest)).toBe(true);
    expect(highest).toBeLessThan(ceiling);
    expect(highest).toBeGreaterThan(ceiling * 0.999_999);
  });

  it.each([
    { attempt: 0, random: 0.5, options: { baseMs: 100 }, delay: 50 },
    { attempt: 10, random: 0.5, options: { baseMs: 100, capMs: 5_000 }, delay: 2_500 },
    { attempt: 3, random: 0.25, options: { capMs: 1_000 }, delay: 250 },
    { attempt: 2, random: 0.5, options: {}, delay: 1_000 },
    { attempt: 1, random: -3, options: {}, delay: 0 },
    { attempt: 1, random: 7, options: {}, delay: 1_000 },
    { attempt: 1, random: Number.NaN, options: {}, delay: 0 },
  ])(
    'scales random() = $random by the ceiling for attempt $attempt, $options',
    ({ attempt, random, options, delay }) => {
      expect(backoffDelay(attempt, () => random, options)).toBe(delay);
    },
  );

  it('spreads delays uniformly over [0, ceiling): mean close to half the ceiling', () => {
    const random = mulberry32(20_261_122);
    const samples = 10_000;
    for (const attempt of [0, 3, 9]) {
      const ceiling = backoffCeiling(attempt);
      let sum = 0;
      let lowest = Number.POSITIVE_INFINITY;
      let highest = Number.NEGATIVE_INFINITY;
      const quarters = [0, 0, 0, 0];
      for (let i = 0; i < samples; i++) {
        const delay = backoffDelay(attempt, random);
        sum += delay;
        lowest = Math.min(lowest, delay);
        highest = Math.max(highest, delay);
        const quarter = Math.floor((delay / ceiling) * 4);
        quarters[quarter] = (quarters[quarter] ?? 0) + 1;
      }
      expect(lowest).toBeGreaterThanOrEqual(0);
      expect(highest).toBeLessThan(ceiling);
      // The mean of 10k uniform samples has a standard error of ceiling / sqrt(12 * 10k) ≈ 0.29 % of it.
      expect(Math.abs(sum / samples - ceiling / 2)).toBeLessThan(ceiling * 0.015);
      for (const count of quarters) expect(Math.abs(count - samples / 4)).toBeLessThan(samples * 0.02);
    }
  });
});

describe('DEFAULT_RETRY', () => {
  it('matches the documented defaults', () => {
    expect(DEFAULT_RETRY).toEqual({ baseMs: 500, capMs: 30_000, maxAttempts: 8 });
  });
});
