import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PartUploadRequest, PartUploadResult } from '../ports.js';
import { createXhrPartUploader } from './xhrPartUploader.js';

type Handler = (() => void) | null;

/** The part of XMLHttpRequest the uploader uses, driven by the test. */
class FakeXhr {
  static last: FakeXhr | undefined;
  upload: { onprogress: ((event: { loaded: number }) => void) | null; onload: Handler } = {
    onprogress: null,
    onload: null,
  };
  onload: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  ontimeout: Handler = null;
  onreadystatechange: Handler = null;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  body: unknown;
  aborted = false;
  requestHeaders: Record<string, string> = {};
  responseHeaders: Record<string, string> = {};

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value;
  }
  send(body: unknown): void {
    this.body = body;
  }
  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }
  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  respond(status: number, headers: Record<string, string> = {}, text = ''): void {
    Object.assign(this, { status, responseHeaders: headers, responseText: text });
    this.onload?.();
  }
}

const uploader = createXhrPartUploader({ XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest });
const body = new Blob([new Uint8Array(1_000)]);

function start(overrides: Partial<PartUploadRequest> = {}) {
  const progress: number[] = [];
  let settled: PartUploadResult | undefined;
  const done = uploader
    .upload({
      partNumber: 1,
      url: 'https://bucket.example/key?partNumber=1',
      headers: { 'content-md5': 'AAAA' },
      body,
      timeoutMs: 60_000,
      stallTimeoutMs: 1_000,
      signal: new AbortController().signal,
      onProgress: (loaded) => progress.push(loaded),
      ...overrides,
    })
    .then((result) => (settled = result));
  const xhr = FakeXhr.last;
  if (xhr === undefined) throw new Error('no XMLHttpRequest was created');
  return { xhr, progress, done, settled: () => settled };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeXhr.last = undefined;
});
afterEach(() => vi.useRealTimers());

describe('createXhrPartUploader', () => {
  it('PUTs the Blob itself with the signed headers, reports progress and returns the ETag', async () => {
    const { xhr, progress, done } = start();
    expect([xhr.method, xhr.url, xhr.requestHeaders]).toStrictEqual([
      'PUT',
      'https://bucket.example/key?partNumber=1',
      { 'content-md5': 'AAAA' },
    ]);
    expect(xhr.body).toBe(body);
    xhr.upload.onprogress?.({ loaded: 400 });
    xhr.upload.onprogress?.({ loaded: 900 });
    xhr.respond(200, { etag: '"ABCDEF"' });
    await expect(done).resolves.toStrictEqual({ ok: true, etag: 'abcdef' });
    expect(progress).toStrictEqual([400, 900, 1_000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts as stalled when no progress came for stallTimeoutMs', async () => {
    const { xhr, settled, done } = start();
    await vi.advanceTimersByTimeAsync(900);
    xhr.upload.onprogress?.({ loaded: 100 });
    await vi.advanceTimersByTimeAsync(900);
    expect(settled()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(200);
    await expect(done).resolves.toStrictEqual({ ok: false, failure: { kind: 'stalled' } });
    expect(xhr.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts as timeout after timeoutMs even while bytes flow', async () => {
    const { xhr, done } = start({ timeoutMs: 3_000 });
    for (let loaded = 1; loaded <= 6; loaded++) {
      await vi.advanceTimersByTimeAsync(500);
      xhr.upload.onprogress?.({ loaded });
    }
    await expect(done).resolves.toStrictEqual({ ok: false, failure: { kind: 'timeout' } });
    expect(xhr.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts the request when the signal fires, and sends nothing when it already had', async () => {
    const controller = new AbortController();
    const { xhr, done } = start({ signal: controller.signal });
    controller.abort();
    await expect(done).resolves.toStrictEqual({ ok: false, failure: { kind: 'aborted' } });
    expect(xhr.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    FakeXhr.last = undefined;
    const result = await uploader.upload({ ...baseRequest(), signal: AbortSignal.abort() });
    expect(result).toStrictEqual({ ok: false, failure: { kind: 'aborted' } });
    expect(FakeXhr.last).toBeUndefined();
  });

  it.each<{ headers: Record<string, string>; name: string }>([
    { headers: {}, name: 'absent' },
    { headers: { etag: '' }, name: 'empty' },
  ])('reports an $name ETag on a 2xx as etag-missing', async ({ headers }) => {
    const { xhr, done } = start();
    xhr.respond(200, headers);
    await expect(done).resolves.toStrictEqual({ ok: false, failure: { kind: 'etag-missing' } });
  });

  it('returns the status and body of an error answer', async () => {
    const { xhr, progress, done } = start();
    xhr.respond(403, {}, '<Error><Code>AccessDenied</Code></Error>');
    await expect(done).resolves.toStrictEqual({
      ok: false,
      failure: { kind: 'http', status: 403, body: '<Error><Code>AccessDenied</Code></Error>' },
    });
    expect(progress).toStrictEqual([]);
  });

  it('reports an error event, and a load with status 0, as network', async () => {
    const first = start();
    first.xhr.onerror?.();
    await expect(first.done).resolves.toStrictEqual({ ok: false, failure: { kind: 'network' } });
    const second = start();
    second.xhr.respond(0);
    await expect(second.done).resolves.toStrictEqual({ ok: false, failure: { kind: 'network' } });
    expect(vi.getTimerCount()).toBe(0);
  });
});

function baseRequest(): PartUploadRequest {
  return {
    partNumber: 1,
    url: 'https://bucket.example/key',
    headers: {},
    body,
    timeoutMs: 1_000,
    stallTimeoutMs: 1_000,
    signal: new AbortController().signal,
  };
}
