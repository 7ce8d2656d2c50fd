import { describe, expect, it } from 'vitest';
import { TesseraError } from '../errors.js';
import { DEFAULT_SERVER_RETRY, nextServerAttempt } from './serverRetry.js';

const retryable = (code: 'network-error' | 'timeout' | 'store-error' | 'upload-busy', extra = {}) =>
  new TesseraError(code, code, { retryable: true, ...extra });
const half = () => 0.5;

describe('nextServerAttempt', () => {
  it.each([
    { name: 'a network failure, first attempt', error: retryable('network-error'), attempt: 0, expected: 250 },
    { name: 'a timeout, fourth attempt', error: retryable('timeout'), attempt: 3, expected: 2_000 },
    { name: 'a 5xx at a large attempt: the cap', error: retryable('store-error'), attempt: 40, expected: 15_000 },
    { name: 'upload-busy (409, retryable)', error: retryable('upload-busy'), attempt: 0, expected: 250 },
    { name: 'Retry-After 3 s instead of the backoff', error: retryable('store-error', { retryAfterMs: 3_000 }), attempt: 0, expected: 3_000 },
    { name: 'Retry-After 0', error: retryable('store-error', { retryAfterMs: 0 }), attempt: 5, expected: 0 },
    { name: 'a Retry-After of an hour, bounded', error: retryable('store-error', { retryAfterMs: 3_600_000 }), attempt: 0, expected: 300_000 },
  ])('retries $name after $expected ms', ({ error, attempt, expected }) => {
    expect(nextServerAttempt(error, attempt, 0, half)).toBe(expected);
  });

  it.each([
    { name: 'a refusal (403)', error: new TesseraError('forbidden', 'no', { status: 403 }) },
    { name: 'a typed 4xx', error: new TesseraError('part-size-mismatch', 'no', { status: 422 }) },
    { name: 'a completed upload', error: new TesseraError('upload-completed', 'done', { status: 409 }) },
    { name: 'an abort by the caller, even if marked retryable', error: new TesseraError('aborted', 'stop', { retryable: true }) },
  ])('gives up at once on $name', ({ error }) => {
    expect(nextServerAttempt(error, 0, 0, half)).toBeNull();
  });

  it('gives up when the next wait would pass giveUpAfterMs', () => {
    const error = retryable('network-error');
    const limit = DEFAULT_SERVER_RETRY.giveUpAfterMs;
    expect(nextServerAttempt(error, 10, limit - 15_000, half)).toBe(15_000);
    expect(nextServerAttempt(error, 10, limit - 14_999, half)).toBeNull();
  });

  it('gives up after maxAttempts when one is set', () => {
    const options = { ...DEFAULT_SERVER_RETRY, maxAttempts: 3 };
    expect(nextServerAttempt(retryable('timeout'), 1, 0, half, options)).toBe(500);
    expect(nextServerAttempt(retryable('timeout'), 2, 0, half, options)).toBeNull();
  });

  it('waits out a five-minute outage within the default patience, short or long jitter', () => {
    for (const sample of [0.05, 0.5, 0.999]) {
      let elapsed = 0;
      // An attempt against a server that is down costs a refused connection: no time to speak of.
      for (let attempt = 0; elapsed < 5 * 60_000; attempt++) {
        const delay = nextServerAttempt(retryable('network-error'), attempt, elapsed, () => sample);
        expect(delay, `jitter ${sample}, attempt ${attempt}`).not.toBeNull();
        elapsed += delay ?? 0;
      }
    }
  });
});
