import { createHash } from 'node:crypto';
import {
  type CreateUploadResponse,
  type ErrorResponse,
  multipartEtag,
  TesseraError,
  UPLOAD_TOKEN_HEADER,
} from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CorsOptions } from './cors.js';
import { createNextRouteHandlers } from './next.js';
import { createUploadHandler, type UploadHandlerOptions } from './router.js';
import type { S3Gateway, StoredObject, StoredPart, StoredRecord } from './types.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
const API = 'https://api.example.com/api/uploads/v1';
const SECRET = 'router-cors-test-secret-0123456789abcdef';
const BYTES = new TextEncoder().encode('hello, cross-origin world');

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();

/**
 * Just enough of S3 in memory for the handlers: multipart uploads with their parts (a test puts them, as a
 * browser would with the presigned URL), objects assembled by complete, and records (the handler's intents).
 * `fail` makes every call a store failure; {@link holdCompletes} keeps completes assembling until released.
 */
class MemoryGateway implements S3Gateway {
  calls = 0;
  fail = false;
  private held: { reached: () => void; released: Promise<void> } | undefined;
  private nextId = 1;
  private readonly uploads = new Map<string, { metadata: Record<string, string>; parts: Map<number, Uint8Array> }>();
  private readonly objects = new Map<string, StoredObject>();
  private readonly records = new Map<string, StoredRecord>();

  private touch(): void {
    this.calls++;
    if (this.fail) throw new TesseraError('store-error', 'the store is down', { retryable: true });
  }

  private upload(uploadId: string) {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new TesseraError('upload-not-found', `no upload ${uploadId}`);
    return upload;
  }

  /** From now on the store takes until `release()` to assemble; `reached` resolves when a complete waits. */
  holdCompletes(): { reached: Promise<void>; release: () => void } {
    let reached = () => {};
    let release = () => {};
    const waiting = new Promise<void>((done) => (reached = done));
    this.held = { reached, released: new Promise<void>((done) => (release = done)) };
    return { reached: waiting, release };
  }

  /** A part PUT to the store, as the presigned URL allows; returns the part's ETag. */
  putPart(uploadId: string, partNumber: number, bytes: Uint8Array): string {
    this.upload(uploadId).parts.set(partNumber, bytes);
    return `"${md5(bytes).toString('hex')}"`;
  }

  async createMultipartUpload(input: Parameters<S3Gateway['createMultipartUpload']>[0]) {
    this.touch();
    const uploadId = `upload-${this.nextId++}`;
    this.uploads.set(uploadId, { metadata: input.metadata, parts: new Map() });
    return { uploadId };
  }

  async presignUploadPart(input: Parameters<S3Gateway['presignUploadPart']>[0]) {
    this.touch();
    return {
      url: `https://store.example.com/${input.key}?uploadId=${input.uploadId}&partNumber=${input.partNumber}`,
      headers: { 'content-length': String(input.size), 'content-md5': input.checksum },
    };
  }

  async listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]> {
    this.touch();
    return [...this.upload(input.uploadId).parts]
      .sort(([a], [b]) => a - b)
      .map(([partNumber, bytes]) => ({ partNumber, size: bytes.length, etag: md5(bytes).toString('hex') }));
  }

  async completeMultipartUpload(input: Parameters<S3Gateway['completeMultipartUpload']>[0]) {
    this.touch();
    if (this.held) {
      this.held.reached();
      await this.held.released;
    }
    const upload = this.upload(input.uploadId);
    const parts = input.parts.map(({ partNumber }) => upload.parts.get(partNumber) ?? new Uint8Array());
    const etag = multipartEtag(
      parts.map((bytes) => md5(bytes).toString('hex')),
      (bytes) => md5(bytes).toString('hex'),
    );
    const size = parts.reduce((sum, bytes) => sum + bytes.length, 0);
    this.objects.set(input.key, { etag, size, metadata: upload.metadata });
    this.uploads.delete(input.uploadId);
    return { etag };
  }

  async abortMultipartUpload(input: { key: string; uploadId: string }): Promise<void> {
    this.touch();
    this.upload(input.uploadId);
    this.uploads.delete(input.uploadId);
  }

  async headObject(input: { key: string }): Promise<StoredObject | null> {
    this.touch();
    return this.objects.get(input.key) ?? null;
  }

  listMultipartUploads(): AsyncIterable<never> {
    throw new Error('no test lists pending uploads');
  }

  async putRecord(input: { key: string; body: string }): Promise<void> {
    this.touch();
    this.records.set(input.key, { body: input.body, lastModified: new Date() });
  }

  async getRecord(input: { key: string }): Promise<StoredRecord | null> {
    this.touch();
    return this.records.get(input.key) ?? null;
  }

  async listRecords(input: { prefix: string }): Promise<Array<{ key: string; lastModified: Date }>> {
    this.touch();
    return [...this.records]
      .filter(([key]) => key.startsWith(input.prefix))
      .map(([key, { lastModified }]) => ({ key, lastModified }));
  }

  async deleteRecord(input: { key: string }): Promise<void> {
    this.touch();
    this.records.delete(input.key);
  }
}

let gateway: MemoryGateway;
/** Every request `authorize` saw, in order. */
let authorized: Request[];
let reported: unknown[];
beforeEach(() => {
  gateway = new MemoryGateway();
  authorized = [];
  reported = [];
});

const CORS: CorsOptions = { origins: [APP], allowHeaders: ['authorization'], maxAgeSeconds: 300 };

function options(overrides: Partial<UploadHandlerOptions> = {}): UploadHandlerOptions {
  return {
    bucket: 'uploads',
    gateway,
    secret: SECRET,
    // Bearer <user>, as a page on another origin would send it (it has no cookies of the API's origin).
    authorize: (request) => {
      authorized.push(request);
      const user = /^Bearer (\w+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      return user ? { userId: user } : null;
    },
    onError: (error) => reported.push(error),
    cors: CORS,
    ...overrides,
  };
}

interface Call {
  method?: string;
  origin?: string | null;
  user?: string | null;
  token?: string;
  body?: unknown;
  /** Raw body with its content type, instead of `body` as JSON. */
  raw?: { type: string; text: string };
}

function call(path: string, { method = 'POST', origin = APP, user = 'alice', token, body, raw }: Call = {}): Request {
  const headers = new Headers();
  if (origin !== null) headers.set('origin', origin);
  if (user !== null) headers.set('authorization', `Bearer ${user}`);
  if (token !== undefined) headers.set(UPLOAD_TOKEN_HEADER, token);
  let text: string | undefined;
  if (raw) {
    headers.set('content-type', raw.type);
    text = raw.text;
  } else if (body !== undefined) {
    headers.set('content-type', 'application/json');
    text = JSON.stringify(body);
  }
  return new Request(`${API}${path}`, { method, headers, body: text });
}

/** A preflight as Chromium sends it: no credentials, the method and headers the real request will use. */
function preflight(path: string, origin: string, method = 'POST'): Request {
  return new Request(`${API}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': `authorization,content-type,${UPLOAD_TOKEN_HEADER}`,
    },
  });
}

/** The answer's CORS headers (and Vary). */
function corsOf(response: Response): Record<string, string> {
  return Object.fromEntries(
    [...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'),
  );
}

const ANSWER_HEADERS = {
  'access-control-allow-origin': APP,
  'access-control-expose-headers': 'retry-after',
  vary: 'Origin',
};
const PREFLIGHT_HEADERS = {
  ...ANSWER_HEADERS,
  'access-control-allow-methods': 'GET, POST, DELETE',
  'access-control-allow-headers': `content-type, ${UPLOAD_TOKEN_HEADER}, authorization`,
  'access-control-max-age': '300',
};

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as ErrorResponse).error.code;
}

async function created(handler: (request: Request) => Promise<Response>): Promise<CreateUploadResponse> {
  const response = await handler(call('/uploads', { body: { fileName: 'a.txt', contentType: 'text/plain', size: BYTES.length } }));
  expect(response.status).toBe(201);
  return (await response.json()) as CreateUploadResponse;
}

const OPERATIONS = [
  { operation: 'create', path: '/uploads', method: 'POST' },
  { operation: 'sign', path: '/uploads/upload-1/sign', method: 'POST' },
  { operation: 'list', path: '/uploads/upload-1/parts', method: 'GET' },
  { operation: 'complete', path: '/uploads/upload-1/complete', method: 'POST' },
  { operation: 'abort', path: '/uploads/upload-1', method: 'DELETE' },
];

describe('the origins list', () => {
  it.each(['https://app.example.com/', 'https://App.example.com', 'https://app.example.com/path', 'app.example.com', '*', 'null'])(
    'refuses %j when the handler is created: a browser never sends that Origin',
    (origin) => {
      expect(() => createUploadHandler(options({ cors: { origins: [origin] } }))).toThrow(TypeError);
    },
  );

  it('takes exact origins, default ports left out as browsers send them', () => {
    expect(() =>
      createUploadHandler(options({ cors: { origins: ['https://app.example.com', 'http://localhost:5173', 'http://[::1]:3000'] } })),
    ).not.toThrow();
  });
});

describe('preflights', () => {
  it.each(OPERATIONS)(
    'a preflight of $operation from an allowed origin: 204, before authorize and without the store',
    async ({ path, method }) => {
      const response = await createUploadHandler(options())(preflight(path, APP, method));
      expect(response.status).toBe(204);
      expect(corsOf(response)).toStrictEqual(PREFLIGHT_HEADERS);
      expect(await response.text()).toBe('');
      expect(authorized).toEqual([]);
      expect(gateway.calls).toBe(0);
    },
  );

  it.each(OPERATIONS)('a preflight of $operation from another origin: 403 forbidden, no CORS headers', async ({ path, method }) => {
    const response = await createUploadHandler(options())(preflight(path, OTHER, method));
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('forbidden');
    expect(corsOf(response)).toStrictEqual({ vary: 'Origin' });
    expect(authorized).toEqual([]);
    expect(gateway.calls).toBe(0);
    expect(reported).toEqual([]);
  });

  it('is answered when authorize would refuse or fail: preflights carry no credentials', async () => {
    for (const authorize of [() => null, () => Promise.reject(new Error('session store down'))]) {
      const handler = createUploadHandler(options({ authorize }));
      const response = await handler(preflight('/uploads', APP));
      expect(response.status).toBe(204);
      expect(corsOf(response)).toStrictEqual(PREFLIGHT_HEADERS);
    }
    expect(reported).toEqual([]);
  });

  it('asks an origins function, and answers as it says', async () => {
    const asked: string[] = [];
    const origins = async (origin: string) => {
      asked.push(origin);
      return origin === APP;
    };
    const handler = createUploadHandler(options({ cors: { ...CORS, origins } }));
    expect((await handler(preflight('/uploads', APP))).status).toBe(204);
    expect((await handler(preflight('/uploads', OTHER))).status).toBe(403);
    expect(asked).toEqual([APP, OTHER]);
  });

  it('adds Access-Control-Allow-Credentials with credentials: true', async () => {
    const handler = createUploadHandler(options({ cors: { ...CORS, credentials: true } }));
    const response = await handler(preflight('/uploads', APP));
    expect(corsOf(response)).toStrictEqual({ ...PREFLIGHT_HEADERS, 'access-control-allow-credentials': 'true' });
  });

  it('an OPTIONS that is not a preflight is routed like any method: 405, with CORS headers', async () => {
    const response = await createUploadHandler(options())(call('/uploads', { method: 'OPTIONS' }));
    expect(response.status).toBe(405);
    expect(await errorCode(response)).toBe('method-not-allowed');
    expect(corsOf(response)).toStrictEqual(ANSWER_HEADERS);
  });

  it('without the cors option a preflight is 405 method-not-allowed, without CORS headers or authorize', async () => {
    const response = await createUploadHandler(options({ cors: undefined }))(preflight('/uploads', APP));
    expect(response.status).toBe(405);
    expect(await errorCode(response)).toBe('method-not-allowed');
    expect(corsOf(response)).toStrictEqual({});
    expect(authorized).toEqual([]);
  });
});

describe('answers to an allowed origin', () => {
  it('every operation of an upload answers with the CORS headers (create, sign, list, complete, abort)', async () => {
    const handler = createUploadHandler(options());
    const seen: Array<{ status: number; cors: Record<string, string> }> = [];
    const send = async (request: Request) => {
      const response = await handler(request);
      seen.push({ status: response.status, cors: corsOf(response) });
      return response;
    };

    const upload = await created(send);
    const { token, uploadId } = upload;
    const checksum = md5(BYTES).toString('base64');
    const sign = await send(call(`/uploads/${uploadId}/sign`, { token, body: { parts: [{ partNumber: 1, size: BYTES.length, checksum }] } }));
    expect(sign.status).toBe(200);
    const etag = gateway.putPart(uploadId, 1, BYTES);
    expect((await send(call(`/uploads/${uploadId}/parts`, { method: 'GET', token }))).status).toBe(200);
    const complete = await send(call(`/uploads/${uploadId}/complete`, { token, body: { parts: [{ partNumber: 1, etag }] } }));
    expect(await complete.json()).toMatchObject({ key: upload.key, size: BYTES.length, partCount: 1 });

    const other = await created(send);
    const abort = await send(call(`/uploads/${other.uploadId}`, { method: 'DELETE', token: other.token }));
    expect(await abort.json()).toEqual({ aborted: true });

    expect(seen).toStrictEqual(
      [201, 200, 200, 200, 201, 200].map((status) => ({ status, cors: ANSWER_HEADERS })),
    );
  });

  it('adds Access-Control-Allow-Credentials to answers with credentials: true', async () => {
    const handler = createUploadHandler(options({ cors: { ...CORS, credentials: true } }));
    const success = await handler(call('/uploads', { body: { fileName: 'a.txt', contentType: 'text/plain', size: 1 } }));
    const failure = await handler(call('/uploads', { user: null, body: {} }));
    for (const response of [success, failure]) {
      expect(corsOf(response)).toStrictEqual({ ...ANSWER_HEADERS, 'access-control-allow-credentials': 'true' });
    }
    expect([success.status, failure.status]).toEqual([201, 401]);
  });
});

/** Error answers, each set up on its own handler; `path` may use the upload that `setup` created. */
const ERRORS: Array<{
  name: string;
  status: number;
  code: string;
  request: (upload: CreateUploadResponse) => Call & { path: string };
  handler?: Partial<UploadHandlerOptions>;
  /** Runs before the request; what it returns runs after it. */
  before?: (upload: CreateUploadResponse) => Promise<(() => Promise<unknown>) | void> | void;
}> = [
  { name: 'no credentials', status: 401, code: 'unauthenticated', request: () => ({ path: '/uploads', user: null, body: {} }) },
  {
    name: 'no upload token',
    status: 401,
    code: 'token-missing',
    request: (upload) => ({ path: `/uploads/${upload.uploadId}/parts`, method: 'GET' }),
  },
  {
    name: 'a tampered token',
    status: 403,
    code: 'token-invalid',
    request: (upload) => ({ path: `/uploads/${upload.uploadId}/parts`, method: 'GET', token: `${upload.token}x` }),
  },
  {
    name: "another user's upload",
    status: 403,
    code: 'forbidden',
    request: (upload) => ({ path: `/uploads/${upload.uploadId}/parts`, method: 'GET', token: upload.token, user: 'bob' }),
  },
  { name: 'no such route', status: 404, code: 'not-found', request: () => ({ path: '/nothing-here', method: 'GET' }) },
  {
    name: 'an upload the store no longer has',
    status: 404,
    code: 'upload-not-found',
    request: (upload) => ({ path: `/uploads/${upload.uploadId}/parts`, method: 'GET', token: upload.token }),
    before: async (upload) => void (await gateway.abortMultipartUpload({ key: upload.key, uploadId: upload.uploadId })),
  },
  { name: 'a wrong method', status: 405, code: 'method-not-allowed', request: () => ({ path: '/uploads', method: 'GET' }) },
  {
    name: 'an abort while a complete is under way (Retry-After)',
    status: 409,
    code: 'upload-busy',
    request: (upload) => ({ path: `/uploads/${upload.uploadId}`, method: 'DELETE', token: upload.token }),
    before: async (upload) => {
      const etag = gateway.putPart(upload.uploadId, 1, BYTES);
      const held = gateway.holdCompletes();
      const complete = createUploadHandler(options())(
        call(`/uploads/${upload.uploadId}/complete`, { token: upload.token, body: { parts: [{ partNumber: 1, etag }] } }),
      );
      await held.reached;
      return async () => {
        held.release();
        expect((await complete).status).toBe(200);
      };
    },
  },
  {
    name: 'a body too large',
    status: 413,
    code: 'body-too-large',
    request: () => ({ path: '/uploads', body: { fileName: 'a'.repeat(20_000), contentType: 'text/plain' } }),
  },
  {
    name: 'a body that is not JSON',
    status: 415,
    code: 'unsupported-media-type',
    request: () => ({ path: '/uploads', raw: { type: 'text/plain', text: '{}' } }),
  },
  {
    name: 'a type the policy refuses',
    status: 415,
    code: 'type-not-allowed',
    request: () => ({ path: '/uploads', body: { fileName: 'a.exe', contentType: 'application/x-msdownload', size: 1 } }),
    handler: { policy: { allowedTypes: ['text/*'] } },
  },
  {
    name: 'malformed JSON',
    status: 400,
    code: 'invalid-json',
    request: () => ({ path: '/uploads', raw: { type: 'application/json', text: '{"fileName":' } }),
  },
  {
    name: 'a failing authorize',
    status: 500,
    code: 'internal-error',
    request: () => ({ path: '/uploads', body: {} }),
    handler: { authorize: () => Promise.reject(new Error('session store down')) },
  },
  {
    name: 'a failing store',
    status: 502,
    code: 'store-error',
    request: (upload) => ({ path: `/uploads/${upload.uploadId}/parts`, method: 'GET', token: upload.token }),
    before: () => void (gateway.fail = true),
  },
];

describe.each([
  { who: 'an allowed origin', origin: APP, expected: ANSWER_HEADERS },
  { who: 'another origin', origin: OTHER, expected: { vary: 'Origin' } },
  { who: 'a request without Origin', origin: null, expected: { vary: 'Origin' } },
])('error answers to $who', ({ origin, expected }) => {
  it.each(ERRORS)('$status $code ($name)', async ({ status, code, request, handler: overrides, before }) => {
    const setup = await created(createUploadHandler(options()));
    const handler = createUploadHandler(options(overrides));
    const after = await before?.(setup);
    const { path, ...rest } = request(setup);
    const response = await handler(call(path, { ...rest, origin }));
    await after?.();
    expect(response.status).toBe(status);
    expect(await errorCode(response)).toBe(code);
    expect(corsOf(response)).toStrictEqual(expected);
    // Retry-After is sent whoever asks; only an allowed origin's page may read it (it is exposed).
    expect(response.headers.get('retry-after')).toBe(code === 'upload-busy' ? '1' : null);
  });
});

describe('answers to other origins and to requests without Origin', () => {
  it('are served (CORS is not authorization) but carry no CORS headers, so a page cannot read them', async () => {
    const handler = createUploadHandler(options());
    const response = await handler(
      call('/uploads', { origin: OTHER, body: { fileName: 'a.txt', contentType: 'text/plain', size: 1 } }),
    );
    expect(response.status).toBe(201);
    expect(corsOf(response)).toStrictEqual({ vary: 'Origin' });
  });

  it('a same-origin POST (the browser sends its own Origin, not listed) works as without cors', async () => {
    const handler = createUploadHandler(options());
    const response = await handler(
      call('/uploads', {
        origin: 'https://api.example.com',
        body: { fileName: 'a.txt', contentType: 'text/plain', size: 1 },
      }),
    );
    expect(response.status).toBe(201);
    expect(corsOf(response)).toStrictEqual({ vary: 'Origin' });
  });

  it('without the cors option nothing is added, whatever the origin', async () => {
    const handler = createUploadHandler(options({ cors: undefined }));
    for (const origin of [APP, OTHER, null]) {
      const success = await handler(call('/uploads', { origin, body: { fileName: 'a.txt', contentType: 'text/plain', size: 1 } }));
      const failure = await handler(call('/uploads', { origin, user: null, body: {} }));
      expect([success.status, failure.status]).toEqual([201, 401]);
      expect([corsOf(success), corsOf(failure)]).toStrictEqual([{}, {}]);
    }
  });

  it('a failing origins function is a 500 internal-error, reported, without CORS headers', async () => {
    const failure = new Error('allow-list unavailable');
    const handler = createUploadHandler(options({ cors: { origins: () => Promise.reject(failure) } }));
    const response = await handler(preflight('/uploads', APP));
    expect(response.status).toBe(500);
    expect(await errorCode(response)).toBe('internal-error');
    expect(corsOf(response)).toStrictEqual({});
    expect(reported).toEqual([failure]);
    expect(authorized).toEqual([]);
  });
});

describe('the Next.js route handlers', () => {
  it('OPTIONS answers preflights like the handler: 204 for an allowed origin, 403 for another', async () => {
    const { OPTIONS } = createNextRouteHandlers(options());
    const allowed = await OPTIONS(preflight('/uploads', APP));
    expect(allowed.status).toBe(204);
    expect(corsOf(allowed)).toStrictEqual(PREFLIGHT_HEADERS);
    const refused = await OPTIONS(preflight('/uploads/upload-1', OTHER, 'DELETE'));
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe('forbidden');
    expect(corsOf(refused)).toStrictEqual({ vary: 'Origin' });
    expect(authorized).toEqual([]);
  });

  it('OPTIONS without the cors option is 405, like the handler', async () => {
    const { OPTIONS } = createNextRouteHandlers(options({ cors: undefined }));
    const response = await OPTIONS(preflight('/uploads', APP));
    expect(response.status).toBe(405);
    expect(corsOf(response)).toStrictEqual({});
  });

  it('POST, GET and DELETE carry the CORS headers on success and on errors', async () => {
    const { POST, GET, DELETE } = createNextRouteHandlers(options());
    const upload = await created(POST);
    const list = await GET(call(`/uploads/${upload.uploadId}/parts`, { method: 'GET', token: upload.token }));
    const refused = await DELETE(call(`/uploads/${upload.uploadId}`, { method: 'DELETE' }));
    expect([list.status, refused.status]).toEqual([200, 401]);
    expect([corsOf(list), corsOf(refused)]).toStrictEqual([ANSWER_HEADERS, ANSWER_HEADERS]);
  });
});
