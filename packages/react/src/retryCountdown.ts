import type { PartSnapshot } from '@tessera/core';

/** The parts waiting to be tried again (status `retrying`), in part order. */
export function retryingParts(parts: readonly PartSnapshot[]): PartSnapshot[] {
  return parts.filter((part) => part.status === 'retrying');
}

/** When the first of the retrying parts tries again (ms since the epoch); `null` when none waits. */
export function nextRetryAt(parts: readonly PartSnapshot[]): number | null {
  let next: number | null = null;
  for (const part of parts) {
    if (part.status === 'retrying' && part.retryAt !== null && (next === null || part.retryAt < next)) next = part.retryAt;
  }
  return next;
}

/**
 * Whole seconds from `now` until `retryAt` (both ms since the epoch), rounded up, for a countdown: 1 until
 * the moment itself, then 0.
 *
 * @example
 * ```ts
 * secondsUntil(10_000, 6_200) // 4
 * secondsUntil(10_000, 10_000) // 0
 * ```
 */
export function secondsUntil(retryAt: number, now: number): number {
  return Math.max(0, Math.ceil((retryAt - now) / 1000));
}
