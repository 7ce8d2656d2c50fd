import type { Clock } from '../ports.js';

/**
 * The real wall clock: `Date.now()`.
 *
 * @example
 * ```ts
 * const expired = Date.parse(signedPart.expiresAt) <= systemClock.now();
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() };
