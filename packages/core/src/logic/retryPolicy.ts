import { TesseraError, type TesseraErrorCode, type TesseraErrorOptions } from '../errors.js';

/** Why one presigned part PUT did not yield a confirmed part. */
export type PartFailure =
  | { kind: 'network' }
  | { kind: 'timeout' }
  /** Bytes stopped flowing for longer than the stall window. */
  | { kind: 'stalled' }
  | { kind: 'aborted' }
  /** The store answered with an error status; `body` is its S3 XML error document when readable. */
  | { kind: 'http'; status: number; body?: string }
  /** The PUT succeeded but the `ETag` response header was unreadable: CORS does not expose it. */
  | { kind: 'etag-missing' };

/** What to do about a {@link PartFailure}. */
export type RetryDecision =
  /** Send the same bytes with the same URL again, after a backoff delay. */
  | { action: 'retry' }
  /** Ask the server for a fresh presigned URL, then send again. */
  | { action: 'resign' }
  /** Read the slice again, hash it again, sign and send again. */
  | { action: 'rehash' }
  | { action: 'fail'; error: TesseraError };

/** What the engine knows about the part whose attempt just failed. */
export interface PartFailureContext {
  partNumber: number;
  /** 0-based number of the attempt that failed. */
  attempt: number;
  /** Times this part was already re-signed. */
  resigns: number;
  /** Times this part was already re-hashed. */
  rehashes: number;
  /** Attempts allowed per part, the first included (see `DEFAULT_RETRY.maxAttempts`). */
  maxAttempts: number;
}

/** Re-signs allowed per part for an expired URL; a third expiry points at a skewed clock. */
export const MAX_RESIGNS = 2;
/** Re-hashes allowed per part before its bytes are declared unstable. */
export const MAX_REHASHES = 3;

const TRANSIENT_S3_CODES = new Set(['RequestTimeout', 'SlowDown', 'InternalError', 'ServiceUnavailable']);
const DIGEST_S3_CODES = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentChecksumMismatch', 'InvalidChecksum']);
const EXPIRED_S3_CODES = new Set(['ExpiredToken', 'RequestExpired']);
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(body: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body);
  if (match?.[1] === undefined) return undefined;
  return match[1]
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
      if (name[0] !== '#') return XML_ENTITIES[name] ?? entity;
      const point = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    })
    .trim();
}

/**
 * Extract `<Code>` and `<Message>` from an S3 XML error document. A small regex reader, not an XML parser:
 * it takes the first occurrence of each tag and decodes the five XML entities and numeric references.
 * Never throws; fields that are absent stay absent.
 *
 * @example
 * ```ts
 * parseS3Error('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>')
 * // { code: 'SlowDown', message: 'Please reduce your request rate.' }
 * ```
 */
export function parseS3Error(body: string): { code?: string; message?: string } {
  const code = xmlText(body, 'Code');
  const message = xmlText(body, 'Message');
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

function describeFailure(failure: PartFailure, code?: string, message?: string): string {
  if (failure.kind !== 'http') return failure.kind === 'network' ? 'network error' : failure.kind;
  return [`HTTP ${failure.status}`, code, message].filter(Boolean).join(' ');
}

/**
 * Decide what to do after one attempt to upload a part failed.
 *
 * - `retry`: network errors, timeouts, stalls, 408, 429, 5xx, and the S3 codes RequestTimeout, SlowDown,
 *   InternalError and ServiceUnavailable whatever the status. Once `attempt + 1 >= maxAttempts` this
 *   becomes `retries-exhausted` (retryable: resuming later may succeed).
 * - `resign`: a 403 for an expired URL (ExpiredToken, RequestExpired, AccessDenied mentioning expiry,
 *   "Request has expired"), up to {@link MAX_RESIGNS} times per part, then `signature-expired`; a 403
 *   SignatureDoesNotMatch once per part, then `part-rejected`. Re-signs do not spend attempts.
 * - `rehash`: a 400 digest or checksum mismatch, up to {@link MAX_REHASHES} times, then `checksum-mismatch`.
 * - `fail`: `aborted`, `etag-not-exposed`, or `part-rejected` for any other status (non-retryable).
 *
 * @example
 * ```ts
 * const context = { partNumber: 3, attempt: 0, resigns: 0, rehashes: 0, maxAttempts: DEFAULT_RETRY.maxAttempts };
 * classifyPartFailure({ kind: 'http', status: 503 }, context) // { action: 'retry' }
 * classifyPartFailure({ kind: 'etag-missing' }, context) // { action: 'fail', error: etag-not-exposed }
 * ```
 */
export function classifyPartFailure(failure: PartFailure, context: PartFailureContext): RetryDecision {
  const { partNumber } = context;
  const status = failure.kind === 'http' ? failure.status : undefined;
  const { code, message } = failure.kind === 'http' ? parseS3Error(failure.body ?? '') : {};
  const what = describeFailure(failure, code, message);
  const fail = (errorCode: TesseraErrorCode, text: string, options: TesseraErrorOptions = {}): RetryDecision => ({
    action: 'fail',
    error: new TesseraError(errorCode, text, { partNumber, status, cause: failure, ...options }),
  });
  const retry = (): RetryDecision =>
    context.attempt + 1 >= context.maxAttempts
      ? fail('retries-exhausted', `Part ${partNumber} failed ${context.attempt + 1} times; last: ${what}`, {
          retryable: true,
        })
      : { action: 'retry' };

  switch (failure.kind) {
    case 'network':
    case 'timeout':
    case 'stalled':
      return retry();
    case 'aborted':
      return fail('aborted', `Part ${partNumber} was aborted`);
    case 'etag-missing':
      return fail(
        'etag-not-exposed',
        `Part ${partNumber} was stored but its ETag response header is not readable: add "ETag" to ` +
          'ExposeHeaders in the bucket CORS configuration',
      );
  }
  // Status 0 (or any non-HTTP number) means no answer arrived: the request never completed.
  if (failure.status < 100 || failure.status > 599) return retry();
  if (code !== undefined && TRANSIENT_S3_CODES.has(code)) return retry();
  if (failure.status === 400 && code !== undefined && DIGEST_S3_CODES.has(code)) {
    if (context.rehashes < MAX_REHASHES) return { action: 'rehash' };
    return fail('checksum-mismatch', `Part ${partNumber} was refused ${MAX_REHASHES + 1} times: ${what}`);
  }
  if (failure.status === 403) {
    const expired =
      (code !== undefined && EXPIRED_S3_CODES.has(code)) ||
      (code === 'AccessDenied' && /expire/i.test(message ?? '')) ||
      (failure.body ?? '').includes('Request has expired');
    if (expired && context.resigns < MAX_RESIGNS) return { action: 'resign' };
    if (expired)
      return fail('signature-expired', `Part ${partNumber}: fresh URLs keep expiring (clock skew?): ${what}`);
    if (code === 'SignatureDoesNotMatch' && context.resigns === 0) return { action: 'resign' };
  }
  if (failure.status === 408 || failure.status === 429 || failure.status >= 500) return retry();
  return fail('part-rejected', `Part ${partNumber} was rejected: ${what}`);
}
