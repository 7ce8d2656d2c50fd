import type { PartUploader, PartUploadRequest, PartUploadResult } from '../ports.js';
import type { PartFailure } from '../logic/retryPolicy.js';
import { createFetchPartUploader } from './fetchPartUploader.js';
import { partResponseResult } from './partResponseResult.js';

/** Options for {@link createXhrPartUploader}. */
export interface XhrPartUploaderOptions {
  /** The XMLHttpRequest class to use (tests pass a fake). @default globalThis.XMLHttpRequest */
  XMLHttpRequest?: typeof XMLHttpRequest;
}

function send(Xhr: typeof XMLHttpRequest, request: PartUploadRequest): Promise<PartUploadResult> {
  return new Promise((resolve) => {
    const { signal, body, onProgress } = request;
    if (signal.aborted) return resolve({ ok: false, failure: { kind: 'aborted' } });
    const xhr = new Xhr();
    let settled = false;
    let lastLoaded = -1;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const totalTimer = setTimeout(() => giveUp({ kind: 'timeout' }), request.timeoutMs);

    function finish(result: PartUploadResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(stallTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    }
    function giveUp(failure: PartFailure): void {
      // Settle first: the abort event that xhr.abort() fires must not overwrite the reason.
      finish({ ok: false, failure });
      xhr.abort();
    }
    function onAbort(): void {
      giveUp({ kind: 'aborted' });
    }
    // Any sign of life (bytes sent, all bytes sent, headers arriving) restarts the stall window.
    function armStall(): void {
      if (settled) return;
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => giveUp({ kind: 'stalled' }), request.stallTimeoutMs);
    }
    function report(loaded: number): void {
      if (loaded === lastLoaded || settled) return;
      lastLoaded = loaded;
      onProgress?.(loaded);
    }

    xhr.upload.onprogress = (event) => {
      armStall();
      report(event.loaded);
    };
    xhr.upload.onload = armStall;
    xhr.onreadystatechange = armStall;
    xhr.onload = () => {
      const result = partResponseResult(xhr.status, xhr.getResponseHeader('ETag'), xhr.responseText);
      if (result.ok) report(body.size);
      finish(result);
    };
    xhr.onerror = () => finish({ ok: false, failure: { kind: 'network' } });
    xhr.onabort = () => finish({ ok: false, failure: { kind: 'aborted' } });
    xhr.ontimeout = () => finish({ ok: false, failure: { kind: 'timeout' } });
    signal.addEventListener('abort', onAbort);
    try {
      xhr.open('PUT', request.url);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      // The Blob slice itself: browsers stream it from disk (a typed array copy is ~25x slower).
      xhr.send(body);
      armStall();
    } catch {
      // open() refuses a malformed URL; send() a closed document. Neither reached the network.
      giveUp({ kind: 'network' });
    }
  });
}

/**
 * A {@link PartUploader} on XMLHttpRequest, the one browser API that reports upload progress. Sends the
 * part's `Blob` with the signed headers and resolves (never rejects) with the normalized `ETag` or a
 * classified failure: `timeout` after `timeoutMs` in total, `stalled` when neither upload progress nor the
 * answer moved for `stallTimeoutMs`, `aborted` when `signal` fires, `network` when no answer arrived,
 * `etag-missing` when a 2xx answer's ETag is unreadable (CORS), `http` with the store's error body otherwise.
 * Where XMLHttpRequest does not exist (Node, service workers) it is {@link createFetchPartUploader}.
 *
 * @example
 * ```ts
 * const uploader = createXhrPartUploader();
 * const result = await uploader.upload({ ...signedPart, body: file.slice(start, end), timeoutMs: 120_000,
 *   stallTimeoutMs: 30_000, signal, onProgress: (loaded) => render(loaded) });
 * ```
 */
export function createXhrPartUploader(options: XhrPartUploaderOptions = {}): PartUploader {
  const Xhr = options.XMLHttpRequest ?? (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
  if (Xhr === undefined) return createFetchPartUploader();
  return { upload: (request) => send(Xhr, request) };
}
