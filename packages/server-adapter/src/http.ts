import { type ErrorResponse, TesseraError, type TesseraErrorCode } from '@tessera/core';

/** HTTP status for every error code the server answers with. */
const STATUS_BY_CODE: Partial<Record<TesseraErrorCode, number>> = {
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
  'parts-missing': 409,
  'parts-unexpected': 409,
  'etag-mismatch': 409,
  'size-mismatch': 409,
  'checksum-mismatch': 409,
  'integrity-mismatch': 502,
  'store-error': 502,
};

/** The status a `TesseraError` is answered with. */
export function statusOf(error: TesseraError): number {
  return error.status ?? STATUS_BY_CODE[error.code] ?? 500;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(error: TesseraError, headers: Record<string, string> = {}): Response {
  const body: ErrorResponse = { error: { code: error.code, message: error.message } };
  if (error.field !== undefined) body.error.field = error.field;
  return json(body, statusOf(error), headers);
}

/**
 * Read a JSON body of at most `limit` bytes. Refuses a non-JSON content type (which also keeps
 * cross-site form posts out), an oversized body (without reading past the limit) and malformed JSON.
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new TesseraError('unsupported-media-type', 'the request body must be application/json');
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const text = await readText(request, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new TesseraError('invalid-json', 'the request body is not valid JSON', { cause });
  }
}

function tooLarge(limit: number): TesseraError {
  return new TesseraError('body-too-large', `the request body is larger than ${limit} bytes`);
}

async function readText(request: Request, limit: number): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new TesseraError('invalid-json', 'the request body is not valid UTF-8', { cause });
  }
}
