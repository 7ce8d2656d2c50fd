import { type ErrorResponse, TesseraError, type TesseraErrorCode } from '@tessera/core';

/** HTTP status for every error code the server answers with. */
const STATUS_BY_CODE: Partial<Record<TesseraErrorCode, number>> = {
  'invalid-request': 400,
  'request-timeout': 408,
  // nginx's "client closed request": logged, never seen by the client that went away
  'client-closed': 499,
  'invalid-json': 400,
  'invalid-field': 400,
  'unsupported-media-type': 415,
  'body-too-large': 413,
  'file-too-large': 413,
  'file-too-small': 422,
  'type-not-allowed': 415,
  'invalid-file-name': 422,
  'part-out-of-range': 422,
  'part-size-mismatch': 422,
  'part-size-too-small': 422,
  'batch-too-large': 422,
  'too-many-parts': 422,
  'unknown-size-not-allowed': 422,
  unauthenticated: 401,
  'token-missing': 401,
  forbidden: 403,
  'token-invalid': 403,
  'token-expired': 403,
  'token-mismatch': 403,
  'upload-not-found': 404,
  'not-found': 404,
  'method-not-allowed': 405,
  'upload-completed': 409,
  'upload-busy': 409,
  'parts-missing': 409,
  'parts-unexpected': 409,
  'etag-mismatch': 409,
  'size-mismatch': 409,
  'checksum-mismatch': 409,
  'integrity-mismatch': 502,
  'store-error': 502,
  'hook-failed': 500,
};

/** The status a `TesseraError` is answered with. */
export function statusOf(error: TesseraError): number {
  return error.status ?? STATUS_BY_CODE[error.code] ?? 500;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Seconds a client is asked to wait before retrying an `upload-busy` request. */
const BUSY_RETRY_AFTER_SECONDS = 1;

export function errorResponse(error: TesseraError, headers: Record<string, string> = {}): Response {
  const body: ErrorResponse = { error: { code: error.code, message: error.message, retryable: error.retryable } };
  if (error.field !== undefined) body.error.field = error.field;
  const retryAfter: Record<string, string> =
    error.code === 'upload-busy' ? { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) } : {};
  return json(body, statusOf(error), { ...retryAfter, ...headers });
}

/** How many JSON objects a body may hold at most, checked on its bytes before it is parsed. */
export interface ObjectLimit {
  maxObjects: number;
  /** The error for a body with more. */
  error: () => TesseraError;
}

/**
 * Whether `bytes` hold more than `max` `{` bytes: an upper bound of the objects a JSON text holds (braces
 * inside strings count too). Stops at the first one too many.
 */
function moreBracesThan(bytes: Uint8Array, max: number): boolean {
  let count = 0;
  for (let index = bytes.indexOf(0x7b); index !== -1; index = bytes.indexOf(0x7b, index + 1)) {
    if (++count > max) return true;
  }
  return false;
}

/**
 * Read a JSON body of at most `limit` bytes within `timeoutMs`. Refuses a non-JSON content type (which also
 * keeps cross-site form posts out), an oversized body (without reading past the limit), a body that does
 * not arrive in time (`request-timeout`, against clients that trickle bytes to hold a connection), malformed
 * UTF-8 and malformed JSON. A client that goes away mid-body is `client-closed`. With `objects`, a body
 * that may hold more objects than `maxObjects` is refused before it is decoded or parsed: parsing a
 * megabyte of `{}` allocates hundreds of thousands of objects (about 50 ms of CPU), counting its braces
 * takes a millisecond.
 */
export async function readJson(
  request: Request,
  limit: number,
  timeoutMs: number,
  objects?: ObjectLimit,
): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new TesseraError('unsupported-media-type', 'the request body must be application/json');
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const bytes = await readBytes(request, limit, timeoutMs);
  if (objects && moreBracesThan(bytes, objects.maxObjects)) throw objects.error();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new TesseraError('invalid-json', 'the request body is not valid UTF-8', { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new TesseraError('invalid-json', 'the request body is not valid JSON', { cause });
  }
}

function tooLarge(limit: number): TesseraError {
  return new TesseraError('body-too-large', `the request body is larger than ${limit} bytes`);
}

async function readBytes(request: Request, limit: number, timeoutMs: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new TesseraError('request-timeout', `the request body did not arrive within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  late.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]).catch((error: unknown) => {
        if (error instanceof TesseraError) throw error;
        throw new TesseraError('client-closed', 'the client went away while sending the request', { cause: error });
      });
      if (done) break;
      length += value.byteLength;
      if (length > limit) throw tooLarge(limit);
      chunks.push(value);
    }
  } catch (error) {
    // Stop reading (and let the connection close) whatever went wrong; the stream may already be errored.
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
