import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartUploadRequest } from '../ports.js';
import { createFetchPartUploader } from './fetchPartUploader.js';

const ERROR_XML = '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>try again</Message></Error>';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    // The slow and hanging routes answer nothing: the client must give up on its own.
    if (path === '/slow' || path === '/hang') return;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
      if (path === '/ok') response.writeHead(200, { ETag: '"0CC175B9C0F1B6A831C399E269772661"' }).end();
      else if (path === '/no-etag') response.writeHead(200).end();
      else response.writeHead(500, { 'content-type': 'application/xml' }).end(ERROR_XML);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function part(path: string, overrides: Partial<PartUploadRequest> = {}): PartUploadRequest {
  return {
    partNumber: 1,
    url: `${base}${path}`,
    headers: { 'content-md5': 'DMF1ucDxtqgxw5niaXcmYQ==' },
    body: new Blob(['a']),
    timeoutMs: 5_000,
    stallTimeoutMs: 5_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('createFetchPartUploader', () => {
  const uploader = createFetchPartUploader();

  it('PUTs the blob with the signed headers and returns the normalized ETag', async () => {
    const progress: number[] = [];
    const body = new Blob([new Uint8Array(100_000).fill(7)]);
    const result = await uploader.upload(part('/ok', { body, onProgress: (loaded) => progress.push(loaded) }));
    expect(result).toStrictEqual({ ok: true, etag: '0cc175b9c0f1b6a831c399e269772661' });
    const sent = received.find((request) => request.path === '/ok');
    expect(sent?.headers['content-md5']).toBe('DMF1ucDxtqgxw5niaXcmYQ==');
    expect(sent?.headers['content-length']).toBe('100000');
    expect(sent?.body.equals(Buffer.alloc(100_000, 7))).toBe(true);
    expect(progress).toStrictEqual([100_000]);
  });

  it('returns the status and XML body of an error answer', async () => {
    const result = await uploader.upload(part('/error'));
    expect(result).toStrictEqual({ ok: false, failure: { kind: 'http', status: 500, body: ERROR_XML } });
  });

  it('reports a success without a readable ETag as etag-missing', async () => {
    const progress: number[] = [];
    const result = await uploader.upload(part('/no-etag', { onProgress: (loaded) => progress.push(loaded) }));
    expect(result).toStrictEqual({ ok: false, failure: { kind: 'etag-missing' } });
    expect(progress).toStrictEqual([]);
  });

  it('gives up after timeoutMs when the server does not answer', async () => {
    const started = performance.now();
    const result = await uploader.upload(part('/slow', { timeoutMs: 150 }));
    expect(result).toStrictEqual({ ok: false, failure: { kind: 'timeout' } });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops when the signal aborts, and does not start when it already has', async () => {
    const controller = new AbortController();
    const pending = uploader.upload(part('/hang', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(pending).resolves.toStrictEqual({ ok: false, failure: { kind: 'aborted' } });
    const count = received.length;
    const aborted = await uploader.upload(part('/ok', { signal: AbortSignal.abort() }));
    expect(aborted).toStrictEqual({ ok: false, failure: { kind: 'aborted' } });
    expect(received).toHaveLength(count);
  });

  it('reports an unreachable server as network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/ok`;
    await new Promise((resolve) => closed.close(resolve));
    const result = await uploader.upload(part('/ok', { url }));
    expect(result).toStrictEqual({ ok: false, failure: { kind: 'network' } });
  });
});
