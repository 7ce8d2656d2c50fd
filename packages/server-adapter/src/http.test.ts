import { TesseraError, type TesseraErrorCode } from '@tessera/core';
import { codeOf } from '../test/codeOf.js';
import { describe, expect, it } from 'vitest';
import { errorResponse, readJson, statusOf } from './http.js';

const TIMEOUT = 5_000;
const LIMIT = 64;

function post(
  body: BodyInit | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Request {
  return new Request('http://localhost/api/uploads', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

/** A body streamed in chunks without a content-length, counting how many chunks were pulled. */
function streamed(chunks: Iterable<Uint8Array>) {
  const iterator = chunks[Symbol.iterator]();
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      seen.pulled += 1;
      controller.enqueue(next.value);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function* endless(chunk: Uint8Array): Generator<Uint8Array> {
  for (;;) yield chunk;
}


describe('readJson', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
  ])('reads a body of type %j', async (contentType) => {
    await expect(readJson(post('{"a":[1,"é"]}', { 'content-type': contentType }), LIMIT, TIMEOUT)).resolves.toStrictEqual({
      a: [1, 'é'],
    });
  });

  it.each([
    { name: 'no content type', headers: {} },
    { name: 'text/plain', headers: { 'content-type': 'text/plain' } },
    { name: 'a form post', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { name: 'multipart/form-data', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
    { name: 'application/jsonp', headers: { 'content-type': 'application/jsonp' } },
    { name: 'application/json-seq', headers: { 'content-type': 'application/json-seq' } },
    { name: 'text/json', headers: { 'content-type': 'text/json' } },
    { name: 'a type ending in json', headers: { 'content-type': 'x-application/json' } },
  ])('refuses $name with unsupported-media-type (415)', async ({ headers }) => {
    const error = await readJson(post('{}', headers as Record<string, string>), LIMIT, TIMEOUT).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe('unsupported-media-type');
    expect(statusOf(error as TesseraError)).toBe(415);
  });

  it('refuses a declared content-length over the limit before reading the body', async () => {
    const { stream, seen } = streamed(endless(new Uint8Array(8)));
    const request = post(stream, { 'content-type': 'application/json', 'content-length': String(LIMIT + 1) });
    expect(await codeOf(readJson(request, LIMIT, TIMEOUT))).toBe('body-too-large');
    expect(seen.pulled).toBeLessThanOrEqual(1);
  });

  it('refuses a streamed body over the limit without reading all of it', async () => {
    const { stream, seen } = streamed(endless(new TextEncoder().encode('[1,1,1,1,1,1,1,')));
    expect(await codeOf(readJson(post(stream), LIMIT, TIMEOUT))).toBe('body-too-large');
    expect(seen.pulled).toBeLessThanOrEqual(Math.ceil(LIMIT / 15) + 2);
    expect(seen.cancelled).toBe(true);
  });

  it('refuses a body whose length was understated', async () => {
    const text = `"${'x'.repeat(LIMIT)}"`;
    const { stream } = streamed([new TextEncoder().encode(text)]);
    const request = post(stream, { 'content-type': 'application/json', 'content-length': '2' });
    expect(await codeOf(readJson(request, LIMIT, TIMEOUT))).toBe('body-too-large');
  });

  it.each([
    { name: 'exactly the limit', text: `"${'x'.repeat(LIMIT - 2)}"`, code: 'resolved' },
    { name: 'one byte over', text: `"${'x'.repeat(LIMIT - 1)}"`, code: 'body-too-large' },
    { name: 'the limit in characters but not in bytes', text: `"${'é'.repeat(LIMIT - 2)}"`, code: 'body-too-large' },
  ])('counts bytes: $name is $code', async ({ text, code }) => {
    const bytes = new TextEncoder().encode(text);
    const { stream } = streamed([bytes.subarray(0, 10), bytes.subarray(10)]);
    expect(await codeOf(readJson(post(stream), LIMIT, TIMEOUT))).toBe(code);
  });

  it.each([
    { name: 'an empty body', body: '' },
    { name: 'no body', body: null },
    { name: 'truncated JSON', body: '{"a":' },
    { name: 'single quotes', body: "{'a':1}" },
    { name: 'a trailing comma', body: '[1,]' },
    { name: 'two values', body: '{}{}' },
    { name: 'NaN', body: 'NaN' },
  ])('refuses $name with invalid-json', async ({ body }) => {
    expect(await codeOf(readJson(post(body), LIMIT, TIMEOUT))).toBe('invalid-json');
  });

  it.each([
    { name: 'a stray continuation byte', bytes: [0x22, 0x80, 0x22] },
    { name: 'an invalid byte', bytes: [0x22, 0xff, 0x22] },
    { name: 'a truncated two-byte sequence', bytes: [0x22, 0xc3, 0x22] },
    { name: 'an overlong encoding of "/"', bytes: [0x22, 0xc0, 0xaf, 0x22] },
    { name: 'an encoded surrogate', bytes: [0x22, 0xed, 0xa0, 0x80, 0x22] },
  ])('refuses invalid UTF-8 ($name) with invalid-json', async ({ bytes }) => {
    expect(await codeOf(readJson(post(new Uint8Array(bytes)), LIMIT, TIMEOUT))).toBe('invalid-json');
  });
});

describe('readJson with an object limit', () => {
  const limit = { maxObjects: 3, error: () => new TesseraError('too-many-parts', 'too many', { field: 'parts' }) };

  it('reads a body with as many objects as allowed', async () => {
    await expect(readJson(post('{"parts":[{"a":1},{"b":2}]}'), LIMIT, TIMEOUT, limit)).resolves.toStrictEqual({
      parts: [{ a: 1 }, { b: 2 }],
    });
  });

  it('refuses one more before decoding or parsing it: malformed JSON gets the limit error, not invalid-json', async () => {
    expect(await codeOf(readJson(post('{"parts":[{},{},{}]}'), LIMIT, TIMEOUT, limit))).toBe('too-many-parts');
    expect(await codeOf(readJson(post(new Uint8Array([0x7b, 0x7b, 0x7b, 0x7b, 0xff])), LIMIT, TIMEOUT, limit))).toBe(
      'too-many-parts',
    );
  });
});

describe('statusOf', () => {
  it.each<{ code: TesseraErrorCode; status: number }>([
    { code: 'invalid-json', status: 400 },
    { code: 'invalid-field', status: 400 },
    { code: 'unauthenticated', status: 401 },
    { code: 'token-missing', status: 401 },
    { code: 'forbidden', status: 403 },
    { code: 'token-invalid', status: 403 },
    { code: 'token-expired', status: 403 },
    { code: 'token-mismatch', status: 403 },
    { code: 'upload-not-found', status: 404 },
    { code: 'not-found', status: 404 },
    { code: 'method-not-allowed', status: 405 },
    { code: 'etag-mismatch', status: 409 },
    { code: 'parts-missing', status: 409 },
    { code: 'parts-unexpected', status: 409 },
    { code: 'size-mismatch', status: 409 },
    { code: 'checksum-mismatch', status: 409 },
    { code: 'body-too-large', status: 413 },
    { code: 'file-too-large', status: 413 },
    { code: 'type-not-allowed', status: 415 },
    { code: 'unsupported-media-type', status: 415 },
    { code: 'part-out-of-range', status: 422 },
    { code: 'part-size-mismatch', status: 422 },
    { code: 'part-size-too-small', status: 422 },
    { code: 'invalid-file-name', status: 422 },
    { code: 'file-too-small', status: 422 },
    { code: 'batch-too-large', status: 422 },
    { code: 'too-many-parts', status: 422 },
    { code: 'unknown-size-not-allowed', status: 422 },
    { code: 'store-error', status: 502 },
    { code: 'integrity-mismatch', status: 502 },
    { code: 'internal-error', status: 500 },
    { code: 'network-error', status: 500 },
  ])('answers $code with $status', ({ code, status }) => {
    expect(statusOf(new TesseraError(code, 'x'))).toBe(status);
  });

  it('prefers the status the error carries', () => {
    expect(statusOf(new TesseraError('store-error', 'x', { status: 503 }))).toBe(503);
  });
});

describe('errorResponse', () => {
  it('answers { error: { code, message } } without a field key when there is no field', async () => {
    const response = errorResponse(new TesseraError('upload-not-found', 'gone', { cause: new Error('secret') }));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toStrictEqual({ error: { code: 'upload-not-found', message: 'gone', retryable: false } });
    expect(text).not.toContain('field');
    expect(text).not.toContain('secret');
  });

  it('includes the field when there is one', async () => {
    const response = errorResponse(
      new TesseraError('invalid-field', 'parts.0.size: too small', { field: 'parts.0.size' }),
    );
    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toStrictEqual({
      error: { code: 'invalid-field', message: 'parts.0.size: too small', field: 'parts.0.size', retryable: false },
    });
  });

  it('says whether a retry can succeed, and when for a busy upload', async () => {
    const response = errorResponse(new TesseraError('upload-busy', 'being completed', { retryable: true }));
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('1');
    await expect(response.json()).resolves.toMatchObject({ error: { code: 'upload-busy', retryable: true } });
  });

  it('adds extra headers', () => {
    const response = errorResponse(new TesseraError('method-not-allowed', 'no'), { allow: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
