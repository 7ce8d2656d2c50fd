import { describe, expect, it } from 'vitest';
import { httpError, parseRetryAfter } from './httpError.js';

const body = (error: Record<string, unknown>) => JSON.stringify({ error: { message: 'm', ...error } });

describe('httpError', () => {
  it.each([
    { name: 'a typed refusal', status: 403, text: body({ code: 'token-expired' }), code: 'token-expired', retryable: false },
    { name: 'a 5xx without a word from the server', status: 502, text: '<html>Bad Gateway</html>', code: 'store-error', retryable: true },
    { name: '429 from a proxy', status: 429, text: 'slow down', code: 'internal-error', retryable: true },
    { name: '408', status: 408, text: '', code: 'internal-error', retryable: true },
    { name: 'a 409 the server says is retryable', status: 409, text: body({ code: 'upload-busy', retryable: true }), code: 'upload-busy', retryable: true },
    { name: 'a 500 the server says is not', status: 500, text: body({ code: 'integrity-mismatch', retryable: false }), code: 'integrity-mismatch', retryable: false },
    { name: 'a 409 without the word', status: 409, text: body({ code: 'upload-completed' }), code: 'upload-completed', retryable: false },
  ])('$name: $code, retryable $retryable', ({ status, text, code, retryable }) => {
    const error = httpError(status, text, 'http://x/y');
    expect(error).toMatchObject({ code, retryable, status });
  });

  it('keeps the field and the Retry-After', () => {
    expect(httpError(422, body({ code: 'part-size-mismatch', field: 'parts.0.size' }), 'u', 1500)).toMatchObject({
      field: 'parts.0.size',
      retryAfterMs: 1500,
    });
    expect(httpError(503, 'down', 'u').retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  it.each([
    { header: '0', expected: 0 },
    { header: '3', expected: 3000 },
    { header: ' 120 ', expected: 120_000 },
    { header: 'Fri, 04 Dec 2026 12:01:00 GMT', expected: 60_000 },
    { header: 'Fri, 04 Dec 2026 11:00:00 GMT', expected: 0 },
    { header: 'soon', expected: undefined },
    { header: '-5', expected: undefined },
    { header: '1.5', expected: undefined },
    { header: null, expected: undefined },
  ])('$header → $expected', ({ header, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
