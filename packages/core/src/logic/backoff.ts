/** How often and how patiently a failed part is retried. */
export interface RetryOptions {
  /** Ceiling of the first retry's delay, in milliseconds. @default 500 */
  baseMs: number;
  /** Largest ceiling any retry's delay may have, in milliseconds. @default 30_000 */
  capMs: number;
  /** Attempts per part, the first one included, before the part fails. @default 8 */
  maxAttempts: number;
}

/**
 * The engine's retry defaults: ceilings of 0.5, 1, 2, 4, 8, 16 and 30 s, eight attempts in all, so a part
 * gives up after about 30 s of waiting on average (the sum of half of each ceiling).
 */
export const DEFAULT_RETRY: Readonly<RetryOptions> = { baseMs: 500, capMs: 30_000, maxAttempts: 8 };

/** Tuning for {@link backoffDelay}; defaults come from {@link DEFAULT_RETRY}. */
export type BackoffOptions = Partial<Pick<RetryOptions, 'baseMs' | 'capMs'>>;

/**
 * Largest delay {@link backoffDelay} may return for `attempt`: `min(capMs, baseMs * 2 ** attempt)`.
 * Never `Infinity` or `NaN`: a huge attempt gives `capMs`, a negative or `NaN` attempt counts as 0.
 *
 * @example
 * ```ts
 * backoffCeiling(3) // 4000
 * backoffCeiling(100) // 30000
 * ```
 */
export function backoffCeiling(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? DEFAULT_RETRY.baseMs;
  const capMs = options.capMs ?? DEFAULT_RETRY.capMs;
  // `attempt > 0` is false for NaN; 2 ** Infinity is Infinity, which Math.min turns into capMs.
  const exponent = attempt > 0 ? Math.floor(attempt) : 0;
  return Math.min(capMs, baseMs * 2 ** exponent);
}

/**
 * Delay before retrying after failed attempt number `attempt` (0-based): capped exponential backoff with
 * full jitter, `random() * min(capMs, baseMs * 2 ** attempt)`. Full jitter spreads the retries of many
 * parts (and many clients) that failed together, so they do not hit a struggling store in lockstep.
 *
 * @param random - a uniform source in `[0, 1)`, such as `Math.random`; injected so tests are repeatable.
 * Values outside `[0, 1)` are clamped, so the result always lies in `[0, ceiling]`.
 *
 * @example
 * ```ts
 * backoffDelay(0, Math.random) // somewhere in [0, 500)
 * backoffDelay(10, () => 0.5, { baseMs: 100, capMs: 5_000 }) // 2500
 * ```
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const sample = random();
  const unit = sample > 0 ? Math.min(sample, 1) : 0;
  return unit * backoffCeiling(attempt, options);
}
