import { isTesseraError, TesseraError } from '../errors.js';
import {
  DEFAULT_SERVER_RETRY,
  DEFAULT_SERVER_TIMEOUTS,
  nextServerAttempt,
  type ServerCall,
  type ServerRetryOptions,
} from '../logic/serverRetry.js';
import type { Transport } from '../ports.js';
import { abortedError } from './abortedError.js';
import { anySignal } from './anySignal.js';

/** What {@link createReliableTransport} tells `onRetry` before it waits to try a call again. */
export interface ServerRetry {
  call: ServerCall;
  /** 0-based number of the attempt that failed. */
  attempt: number;
  delayMs: number;
  error: TesseraError;
}

/** Options of {@link createReliableTransport}. */
export interface ReliableTransportOptions {
  /** Deadline of each attempt, per call, in milliseconds. @default DEFAULT_SERVER_TIMEOUTS (30 s; complete 120 s) */
  timeouts?: Partial<Record<ServerCall, number>>;
  /** Backoff and patience. @default DEFAULT_SERVER_RETRY (0.5–30 s ceilings, full jitter, give up after 10 min) */
  retry?: Partial<ServerRetryOptions>;
  /** Uniform source in `[0, 1)` for the jitter. @default Math.random */
  random?: () => number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Wait `ms`, or reject when `signal` fires. @default setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A signal that fires after `ms`. @default AbortSignal.timeout */
  deadline?: (ms: number) => AbortSignal;
  /** Told about every retry (for logs and metrics). */
  onRetry?: (retry: ServerRetry) => void;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    if (signal?.aborted) return fail(abortedError('waiting to retry', signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail(abortedError('waiting to retry', signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Wrap a {@link Transport} so that no call to the upload server can hang an upload, nor fail it on a blip:
 * each attempt has a deadline, and a retryable failure (the network, a timeout, 408, 429 with its
 * `Retry-After`, 5xx, `upload-busy`) is tried again with capped, jittered backoff until the call succeeds or
 * `giveUpAfterMs` has passed; a refusal (4xx) fails at once with its typed error, and the caller's `signal`
 * stops everything. Every call is safe to repeat: sign and list change nothing, complete answers the same for
 * the same parts (the server's replay), abort of an aborted upload answers `upload-not-found`, and a create
 * whose answer was lost leaves an upload the store's clean-up removes.
 *
 * @example
 * ```ts
 * const transport = createReliableTransport(createFetchTransport({ endpoint: '/api/uploads' }), {
 *   timeouts: { complete: 300_000 },
 *   onRetry: ({ call, attempt, error }) => console.warn(`${call} failed (${error.code}), attempt ${attempt + 1}`),
 * });
 * ```
 */
export function createReliableTransport(transport: Transport, options: ReliableTransportOptions = {}): Transport {
  const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...options.timeouts };
  const retry = { ...DEFAULT_SERVER_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = options.deadline ?? ((ms: number) => AbortSignal.timeout(ms));

  async function attempt<T>(call: ServerCall, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>) {
    const started = now();
    for (let number = 0; ; number++) {
      if (signal?.aborted) throw abortedError(`the ${call} call`, signal);
      const timeout = deadline(timeouts[call]);
      let error: TesseraError;
      try {
        return await run(signal ? anySignal([signal, timeout]) : timeout);
      } catch (caught) {
        if (signal?.aborted) throw abortedError(`the ${call} call`, signal);
        // A deadline that fired is a timeout, whatever the inner transport made of it.
        error =
          timeout.aborted && !(isTesseraError(caught) && caught.retryable)
            ? new TesseraError('timeout', `the ${call} call did not answer within ${timeouts[call]} ms`, {
                retryable: true,
                cause: caught,
              })
            : isTesseraError(caught)
              ? caught
              : new TesseraError('internal-error', `the ${call} call failed`, { cause: caught });
      }
      const delayMs = nextServerAttempt(error, number, now() - started, random, retry);
      if (delayMs === null) throw error;
      options.onRetry?.({ call, attempt: number, delayMs, error });
      await sleep(delayMs, signal);
    }
  }

  return {
    create: (request, signal) => attempt('create', signal, (inner) => transport.create(request, inner)),
    sign: (upload, parts, signal) => attempt('sign', signal, (inner) => transport.sign(upload, parts, inner)),
    listParts: (upload, signal) => attempt('list', signal, (inner) => transport.listParts(upload, inner)),
    complete: (upload, request, signal) =>
      attempt('complete', signal, (inner) => transport.complete(upload, request, inner)),
    abort: (upload, signal) => attempt('abort', signal, (inner) => transport.abort(upload, inner)),
  };
}
