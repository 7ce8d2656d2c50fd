import { isTesseraError, TesseraError } from '../errors.js';
import type { Transport } from '../ports.js';
import {
  type CompleteUploadResponse,
  type CreateUploadResponse,
  type ListPartsResponse,
  PROTOCOL_VERSION,
  type SignPartsResponse,
  UPLOAD_TOKEN_HEADER,
} from '../protocol.js';
import { abortedError } from './abortedError.js';
import { httpError, parseRetryAfter } from './httpError.js';

/** Options for {@link createFetchTransport}. */
export interface FetchTransportOptions {
  /**
   * Where `@tessera/server-adapter` is mounted: a path (`'/api/uploads'`, resolved against the page's
   * location when there is one) or an absolute URL (needed where there is no page, e.g. in Node).
   */
  endpoint: string;
  /** The fetch to call. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Extra headers for every call (e.g. an `authorization` header), read before each call. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** @default 'same-origin' */
  credentials?: RequestCredentials;
}

interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  token?: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

function resolveUrl(endpoint: string, path: string): string {
  const joined = `${endpoint.replace(/\/+$/, '')}/${PROTOCOL_VERSION}/uploads${path}`;
  const base = (globalThis as { location?: { href?: unknown } }).location?.href;
  // Without a page (Node, tests) a relative endpoint is passed as it is, for an injected fetch to interpret.
  return typeof base === 'string' ? new URL(joined, base).href : joined;
}

function failure(error: unknown, url: string, signal: AbortSignal | undefined): TesseraError {
  if (isTesseraError(error)) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new TesseraError('timeout', `${url} did not answer in time`, { retryable: true, cause: reason });
    }
    return abortedError(`call to ${url}`, signal);
  }
  return new TesseraError('network-error', `could not reach ${url}`, { retryable: true, cause: error });
}

/**
 * A {@link Transport} that speaks the Tessera JSON protocol to `@tessera/server-adapter` with `fetch`. Every
 * call after create carries the upload token in the `x-tessera-upload-token` header. Failures reject with a
 * `TesseraError`: the server's own code for a JSON error answer, `store-error`/`internal-error` for other
 * error answers, `network-error` (retryable) when the server cannot be reached, `aborted` when `signal` fires.
 *
 * @example
 * ```ts
 * const transport = createFetchTransport({
 *   endpoint: '/api/uploads',
 *   headers: async () => ({ authorization: `Bearer ${await getAccessToken()}` }),
 * });
 * const created = await transport.create({ fileName: file.name, contentType: file.type, size: file.size });
 * ```
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const credentials = options.credentials ?? 'same-origin';

  async function extraHeaders(): Promise<Record<string, string> | undefined> {
    try {
      return await options.headers?.();
    } catch (cause) {
      if (isTesseraError(cause)) throw cause;
      throw new TesseraError('internal-error', 'the headers option failed', { cause });
    }
  }

  async function call<T>({ method, path, token, body, signal }: Call): Promise<T> {
    const url = resolveUrl(options.endpoint, path);
    try {
      signal?.throwIfAborted();
      const headers = new Headers(await extraHeaders());
      headers.set('accept', 'application/json');
      if (body !== undefined) headers.set('content-type', 'application/json');
      if (token !== undefined) headers.set(UPLOAD_TOKEN_HEADER, token);
      const fetchImpl = options.fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, {
        method,
        headers,
        credentials,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      });
      const text = await response.text();
      if (!response.ok) {
        throw httpError(response.status, text, url, parseRetryAfter(response.headers.get('retry-after'), Date.now()));
      }
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new TesseraError('internal-error', `${url} answered ${response.status} without JSON`, {
          status: response.status,
          cause,
        });
      }
    } catch (error) {
      throw failure(error, url, signal);
    }
  }

  const uploadPath = (uploadId: string) => `/${encodeURIComponent(uploadId)}`;

  return {
    create: (request, signal) => call<CreateUploadResponse>({ method: 'POST', path: '', body: request, signal }),
    async sign(upload, parts, signal) {
      const path = `${uploadPath(upload.uploadId)}/sign`;
      const answer = await call<SignPartsResponse>({ method: 'POST', path, token: upload.token, body: { parts }, signal });
      return answer.parts;
    },
    listParts: (upload, signal) =>
      call<ListPartsResponse>({ method: 'GET', path: `${uploadPath(upload.uploadId)}/parts`, token: upload.token, signal }),
    complete: (upload, request, signal) =>
      call<CompleteUploadResponse>({
        method: 'POST',
        path: `${uploadPath(upload.uploadId)}/complete`,
        token: upload.token,
        body: request,
        signal,
      }),
    async abort(upload, signal) {
      await call<unknown>({ method: 'DELETE', path: uploadPath(upload.uploadId), token: upload.token, signal });
    },
  };
}
