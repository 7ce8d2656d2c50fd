/**
 * Stable error codes shared by the browser engine and the server adapter. The server's JSON error
 * body (`{ error: { code, message, field } }`) uses the same codes, so a client can branch on them.
 */
export type TesseraErrorCode =
  // request shape and policy (server-side validation)
  | 'invalid-request'
  | 'request-timeout'
  | 'client-closed'
  | 'invalid-json'
  | 'invalid-field'
  | 'unsupported-media-type'
  | 'body-too-large'
  | 'file-too-large'
  | 'file-too-small'
  | 'type-not-allowed'
  | 'invalid-file-name'
  | 'part-out-of-range'
  | 'part-size-mismatch'
  | 'part-size-too-small'
  | 'batch-too-large'
  | 'too-many-parts'
  | 'unknown-size-not-allowed'
  // identity and tokens
  | 'unauthenticated'
  | 'forbidden'
  | 'token-missing'
  | 'token-invalid'
  | 'token-expired'
  | 'token-mismatch'
  // store state
  | 'upload-not-found'
  | 'upload-completed'
  | 'upload-busy'
  | 'hook-failed'
  | 'parts-missing'
  | 'parts-unexpected'
  | 'etag-mismatch'
  | 'size-mismatch'
  | 'checksum-mismatch'
  | 'integrity-mismatch'
  | 'not-found'
  | 'method-not-allowed'
  | 'store-error'
  | 'internal-error'
  // client-side engine
  | 'signature-expired'
  | 'fingerprint-mismatch'
  | 'etag-not-exposed'
  | 'network-error'
  | 'timeout'
  | 'stalled'
  | 'part-rejected'
  | 'retries-exhausted'
  | 'aborted'
  | 'checkpoint-error'
  | 'source-error'
  // picking and recording (UI)
  | 'too-many-files'
  | 'permission-denied'
  | 'no-device'
  | 'unsupported';

/** Options for {@link TesseraError}. */
export interface TesseraErrorOptions {
  /** Whether repeating the same operation later can succeed. @default false */
  retryable?: boolean;
  /** The request field concerned, as a dotted path (`parts.3.etag`). */
  field?: string;
  /** The part concerned, 1-based. */
  partNumber?: number;
  /** HTTP status that carried or should carry this error. */
  status?: number;
  /** How long the server asked to wait before trying again (its `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error type Tessera throws. `code` is stable and safe to branch on; `message` is for people.
 *
 * @example
 * ```ts
 * try { await upload.done } catch (error) {
 *   if (error instanceof TesseraError && error.code === 'fingerprint-mismatch') askForTheRightFile();
 * }
 * ```
 */
export class TesseraError extends Error {
  override readonly name = 'TesseraError';
  readonly code: TesseraErrorCode;
  readonly retryable: boolean;
  readonly field: string | undefined;
  readonly partNumber: number | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: TesseraErrorCode, message: string, options: TesseraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.field = options.field;
    this.partNumber = options.partNumber;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Narrow an unknown value to a {@link TesseraError}, optionally of one code. */
export function isTesseraError(value: unknown, code?: TesseraErrorCode): value is TesseraError {
  return value instanceof TesseraError && (code === undefined || value.code === code);
}
