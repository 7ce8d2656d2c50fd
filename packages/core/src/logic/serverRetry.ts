import type { TesseraError } from '../errors.js';
import { backoffDelay, type RetryOptions } from './backoff.js';

/** The calls the engine makes to the upload server. */
export type ServerCall = 'create' | 'sign' | 'list' | 'complete' | 'abort';

/**
 * How long each server call may take before it is abandoned (and retried), in milliseconds. Complete gets
 * longer: the store assembles the object while the server waits, which takes seconds for thousands of parts.
 */
export const DEFAULT_SERVER_TIMEOUTS: Readonly<Record<ServerCall, number>> = {
  create: 30_000,
  sign: 30_000,
  list: 30_000,
  complete: 120_000,
  abort: 30_000,
};

/** How patiently a failed server call is retried. */
export interface ServerRetryOptions extends RetryOptions {
  /** Stop retrying once this long has passed since the call's first attempt, in milliseconds. */
  giveUpAfterMs: number;
  /** Longest `Retry-After` honoured, in milliseconds (a longer one is waited this long). */
  maxRetryAfterMs: number;
}

/**
 * Server calls back off like parts (ceilings of 0.5, 1, 2, 4, 8, 16 and 30 s, full jitter) but are bounded
 * by time rather than attempts: a server that is down for a few minutes (a deploy, a cold start) is waited
 * out, one that stays down for ten fails the call.
 */
export const DEFAULT_SERVER_RETRY: Readonly<ServerRetryOptions> = {
  baseMs: 500,
  capMs: 30_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  giveUpAfterMs: 10 * 60_000,
  maxRetryAfterMs: 5 * 60_000,
};

/**
 * When to try a failed server call again, or `null` to give up: only `retryable` failures are retried (the
 * network, a timeout, 408, 429, 5xx, and what the server itself says may pass later, such as `upload-busy`);
 * a refusal fails at once with its typed error. A `Retry-After` the server sent is honoured (up to
 * `maxRetryAfterMs`) instead of the backoff.
 *
 * @param attempt - 0-based number of the attempt that failed.
 * @param elapsedMs - time since the call's first attempt started.
 * @example
 * ```ts
 * nextServerAttempt(new TesseraError('network-error', 'down', { retryable: true }), 0, 0, () => 0.5) // 250
 * nextServerAttempt(new TesseraError('forbidden', 'no'), 0, 0, Math.random) // null
 * ```
 */
export function nextServerAttempt(
  error: TesseraError,
  attempt: number,
  elapsedMs: number,
  random: () => number,
  options: ServerRetryOptions = DEFAULT_SERVER_RETRY,
): number | null {
  if (!error.retryable || error.code === 'aborted') return null;
  if (attempt + 1 >= options.maxAttempts) return null;
  const delay =
    error.retryAfterMs !== undefined
      ? Math.min(Math.max(error.retryAfterMs, 0), options.maxRetryAfterMs)
      : backoffDelay(attempt, random, options);
  return elapsedMs + delay > options.giveUpAfterMs ? null : delay;
}
