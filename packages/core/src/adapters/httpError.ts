import { TesseraError, type TesseraErrorCode } from '../errors.js';
import type { ErrorResponse } from '../protocol.js';

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.length > 0 &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The {@link TesseraError} for an error answer from the upload server. A `{ error: { code, message, field } }`
 * body keeps the server's code, message and field; any other body (a proxy's HTML page, an empty answer)
 * becomes `store-error` for a 5xx and `internal-error` otherwise. The body's `retryable` says whether trying
 * again can help; without it, 5xx, 408 and 429 are `retryable`.
 *
 * @param status - the HTTP status of the answer.
 * @param body - the answer's body as text.
 * @param url - what was called, for the message of a non-JSON answer.
 * @param retryAfterMs - what the answer's `Retry-After` asked to wait, if anything.
 * @example
 * ```ts
 * httpError(403, '{"error":{"code":"token-expired","message":"token expired"}}', url).code // 'token-expired'
 * httpError(502, '<html>Bad Gateway</html>', url) // store-error, retryable
 * ```
 */
export function httpError(status: number, body: string, url: string, retryAfterMs?: number): TesseraError {
  const retryable = status >= 500 || status === 408 || status === 429;
  const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
  const parsed = parseJson(body);
  if (isErrorResponse(parsed)) {
    const { code, message, field } = parsed.error;
    return new TesseraError(code, message, {
      status,
      retryable: typeof parsed.error.retryable === 'boolean' ? parsed.error.retryable : retryable,
      ...(typeof field === 'string' ? { field } : {}),
      ...wait,
    });
  }
  const code: TesseraErrorCode = status >= 500 ? 'store-error' : 'internal-error';
  const excerpt = body.trim().slice(0, 200);
  return new TesseraError(code, `HTTP ${status} from ${url}${excerpt ? `: ${excerpt}` : ''}`, {
    status,
    retryable,
    ...wait,
  });
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delay-seconds or an HTTP date, `undefined` when the
 * header is absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter('3', 0) // 3000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:00 GMT')) // 60000
 * ```
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month ("Fri, 04 Dec 2026 12:00:00 GMT"); Date.parse alone takes "1.5".
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
