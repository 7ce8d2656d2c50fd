import { TesseraError } from '../errors.js';

/**
 * The `aborted` {@link TesseraError} an adapter rejects with when its `AbortSignal` fired.
 *
 * @example
 * ```ts
 * if (signal?.aborted) throw abortedError('hashing', signal);
 * ```
 */
export function abortedError(what: string, signal: AbortSignal): TesseraError {
  return new TesseraError('aborted', `${what} was aborted`, { cause: signal.reason });
}
