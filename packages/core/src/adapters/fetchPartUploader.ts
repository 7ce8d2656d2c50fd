import type { PartUploader, PartUploadRequest, PartUploadResult } from '../ports.js';
import { partResponseResult } from './partResponseResult.js';

/** Options for {@link createFetchPartUploader}. */
export interface FetchPartUploaderOptions {
  /** The fetch to call. @default globalThis.fetch */
  fetch?: typeof fetch;
}

async function send(fetchImpl: typeof fetch, request: PartUploadRequest): Promise<PartUploadResult> {
  const { signal } = request;
  if (signal.aborted) return { ok: false, failure: { kind: 'aborted' } };
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('part upload timed out', 'TimeoutError'));
  }, request.timeoutMs);
  signal.addEventListener('abort', onAbort);
  try {
    const response = await fetchImpl(request.url, {
      method: 'PUT',
      headers: request.headers,
      // The Blob slice itself: browsers stream it from disk (a typed array copy is ~25x slower).
      body: request.body,
      signal: controller.signal,
    });
    // The store's XML error document matters; a success body does not, but reading it frees the connection.
    const body = await response.text();
    const result = partResponseResult(response.status, response.headers.get('etag'), response.ok ? '' : body);
    if (result.ok) request.onProgress?.(request.body.size);
    return result;
  } catch {
    if (timedOut) return { ok: false, failure: { kind: 'timeout' } };
    if (signal.aborted) return { ok: false, failure: { kind: 'aborted' } };
    return { ok: false, failure: { kind: 'network' } };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A {@link PartUploader} on `fetch`, for Node and other runtimes without XMLHttpRequest. Same contract as
 * {@link createXhrPartUploader} (resolves, never rejects, with the normalized `ETag` or a classified failure),
 * with two limits of fetch: there is no upload progress, so `onProgress` is called once, with the part's
 * full size, when the store confirmed it; and a stall cannot be told from a slow upload, so
 * `stallTimeoutMs` is not used and only the total `timeoutMs` bounds a request (failure `timeout`).
 *
 * @example
 * ```ts
 * const uploader = createFetchPartUploader();
 * const result = await uploader.upload({ ...signedPart, body: new Blob([bytes]), timeoutMs: 120_000,
 *   stallTimeoutMs: 30_000, signal });
 * if (result.ok) parts.push({ partNumber: signedPart.partNumber, etag: result.etag });
 * ```
 */
export function createFetchPartUploader(options: FetchPartUploaderOptions = {}): PartUploader {
  return { upload: (request) => send(options.fetch ?? globalThis.fetch, request) };
}
