import { afterEach, describe, expect, it, vi } from 'vitest';
import { TesseraError } from '../errors.js';
import { UPLOAD_TOKEN_HEADER, type CreateUploadResponse } from '../protocol.js';
import { createFetchTransport } from './fetchTransport.js';

const endpoint = 'https://app.example/api/uploads';
const upload = { uploadId: 'id/with space', token: 'tok-1' };
const created: CreateUploadResponse = {
  uploadId: 'u1',
  key: 'uploads/a/b.bin',
  partSize: 8,
  partCount: 2,
  size: 16,
  token: 'tok-1',
  tokenExpiresAt: '2030-01-01T00:00:00.000Z',
  checksumAlgorithm: 'md5',
  maxSignBatch: 100,
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch that records each request and answers with `answer`; it rejects like fetch when aborted. */
function fakeFetch(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    return new Promise<Response>((resolve, reject) => {
      if (request.signal.aborted) return reject(request.signal.reason as Error);
      request.signal.addEventListener('abort', () => reject(request.signal.reason as Error));
      Promise.resolve(answer(request)).then(resolve, reject);
    });
  };
  return { fetch: fetchImpl, requests };
}

async function rejection(promise: Promise<unknown>): Promise<TesseraError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TesseraError);
  return error as TesseraError;
}

afterEach(() => vi.unstubAllGlobals());

describe('createFetchTransport', () => {
  it('creates with a JSON POST, extra headers and same-origin credentials, and no token', async () => {
    const { fetch, requests } = fakeFetch(() => json(201, created));
    const transport = createFetchTransport({ endpoint, fetch, headers: async () => ({ authorization: 'Bearer x' }) });
    const request = { fileName: 'b.bin', contentType: '', size: 16 };
    await expect(transport.create(request)).resolves.toStrictEqual(created);
    const [sent] = requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('https://app.example/api/uploads/v1/uploads');
    expect(sent?.headers.get('content-type')).toBe('application/json');
    expect(sent?.headers.get('authorization')).toBe('Bearer x');
    expect(sent?.headers.has(UPLOAD_TOKEN_HEADER)).toBe(false);
    expect(sent?.credentials).toBe('same-origin');
    expect(await sent?.json()).toStrictEqual(request);
  });

  it('sends the token and the encoded upload id on sign, list, complete and abort', async () => {
    const signed = [{ partNumber: 1, url: 'https://s3/x', headers: { 'content-md5': 'AA==' }, expiresAt: 'x' }];
    const { fetch, requests } = fakeFetch((request) => {
      if (request.url.endsWith('/sign')) return json(200, { parts: signed });
      if (request.method === 'DELETE') return json(200, { aborted: true });
      return json(200, { anything: true });
    });
    const transport = createFetchTransport({ endpoint: `${endpoint}/`, fetch, credentials: 'include' });
    const parts = [{ partNumber: 1, size: 8, checksum: 'AA==' }];
    await expect(transport.sign(upload, parts)).resolves.toStrictEqual(signed);
    await transport.listParts(upload);
    await transport.complete(upload, { parts: [{ partNumber: 1, etag: 'e' }], size: 8 });
    await expect(transport.abort(upload)).resolves.toBeUndefined();
    const base = 'https://app.example/api/uploads/v1/uploads/id%2Fwith%20space';
    expect(requests.map((request) => `${request.method} ${request.url}`)).toStrictEqual([
      `POST ${base}/sign`,
      `GET ${base}/parts`,
      `POST ${base}/complete`,
      `DELETE ${base}`,
    ]);
    for (const request of requests) {
      expect(request.headers.get(UPLOAD_TOKEN_HEADER)).toBe('tok-1');
      expect(request.credentials).toBe('include');
    }
    expect(requests[1]?.headers.has('content-type')).toBe(false);
    expect(await requests[0]?.json()).toStrictEqual({ parts });
  });

  it('resolves a relative endpoint against the page location', async () => {
    vi.stubGlobal('location', { href: 'https://page.example/app/upload?x=1' });
    const { fetch, requests } = fakeFetch(() => json(201, created));
    await createFetchTransport({ endpoint: '/api/uploads', fetch }).create({ fileName: 'a', contentType: '' });
    expect(requests[0]?.url).toBe('https://page.example/api/uploads/v1/uploads');
  });

  it.each([
    { status: 403, code: 'token-expired', field: undefined, retryable: false },
    { status: 422, code: 'part-out-of-range', field: 'parts.0.partNumber', retryable: false },
    { status: 429, code: 'internal-error', field: undefined, retryable: true },
    { status: 502, code: 'store-error', field: undefined, retryable: true },
  ])('keeps the server error $code ($status)', async ({ status, code, field, retryable }) => {
    const { fetch } = fakeFetch(() => json(status, { error: { code, message: 'told by server', field } }));
    const error = await rejection(createFetchTransport({ endpoint, fetch }).listParts(upload));
    expect(error).toMatchObject({ code, message: 'told by server', status, retryable, field });
  });

  it.each([
    { status: 502, code: 'store-error', retryable: true },
    { status: 404, code: 'internal-error', retryable: false },
    { status: 408, code: 'internal-error', retryable: true },
  ])('maps a non-JSON $status answer to $code', async ({ status, code, retryable }) => {
    const { fetch } = fakeFetch(() => new Response('<html>oops</html>', { status }));
    const error = await rejection(createFetchTransport({ endpoint, fetch }).listParts(upload));
    expect(error).toMatchObject({ code, status, retryable });
    expect(error.message).toContain('<html>oops</html>');
  });

  it('refuses a 2xx answer that is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>index</html>', { status: 200 }));
    const error = await rejection(createFetchTransport({ endpoint, fetch }).listParts(upload));
    expect(error).toMatchObject({ code: 'internal-error', status: 200, retryable: false });
  });

  it('reports an unreachable server as a retryable network-error', async () => {
    const cause = new TypeError('fetch failed');
    const error = await rejection(createFetchTransport({ endpoint, fetch: () => Promise.reject(cause) }).listParts(upload));
    expect(error).toMatchObject({ code: 'network-error', retryable: true, cause });
  });

  it('reports an abort as aborted, before or during the call', async () => {
    const { fetch, requests } = fakeFetch(() => new Promise<Response>(() => {}));
    const transport = createFetchTransport({ endpoint, fetch });
    const before = new AbortController();
    before.abort();
    expect(await rejection(transport.listParts(upload, before.signal))).toMatchObject({ code: 'aborted' });
    expect(requests).toHaveLength(0);
    const during = new AbortController();
    const pending = transport.listParts(upload, during.signal);
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    during.abort();
    expect(await rejection(pending)).toMatchObject({ code: 'aborted', retryable: false });
  });

  it('reports a timeout signal as a retryable timeout', async () => {
    const { fetch } = fakeFetch(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const pending = createFetchTransport({ endpoint, fetch }).listParts(upload, controller.signal);
    controller.abort(new DOMException('timed out', 'TimeoutError'));
    expect(await rejection(pending)).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports a failing headers option as internal-error without calling the server', async () => {
    const { fetch, requests } = fakeFetch(() => json(200, {}));
    const headers = () => Promise.reject(new Error('no session'));
    const error = await rejection(createFetchTransport({ endpoint, fetch, headers }).listParts(upload));
    expect(error).toMatchObject({ code: 'internal-error', retryable: false });
    expect(requests).toHaveLength(0);
  });
});
