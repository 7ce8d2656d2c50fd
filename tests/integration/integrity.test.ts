/**
 * `integrity-mismatch`, made to happen for real: the engine in Node, the real handler, the real store, and
 * a proxy that makes one answer lie about a multipart ETag. The store lying about the object (HEAD) is
 * caught by the server; the app server lying at complete is caught by the engine's own check of the object's
 * ETag against the MD5s it computed; the store lying only in CompleteMultipartUpload's answer is not passed on.
 * Each time: the typed error, no upload reported completed (not even after `retry()`), and the checkpoint.
 */
import { createHash } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMemoryCheckpointStore,
  createUpload,
  TesseraError,
  type Upload,
  type UploadOptions,
} from '@tessera/core';
import type { CompletedUpload } from '@tessera/server-adapter';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { call, testBytes } from '../support/protocolClient.js';
import { nodeEngineOptions, testSource } from '../support/nodeEngine.js';
import { startUploadServer, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const store = inject('store');
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (let stop = stops.pop(); stop; stop = stops.pop()) await stop();
});

/** What a lying answer carries instead of the object's ETag: another MD5, the same part count. */
const wrongEtag = (etag: string) =>
  etag.replace(/[0-9a-f]{32}/, createHash('md5').update(`not ${etag}`).digest('hex'));

interface Answer {
  headers: string[];
  body: Buffer;
}

/**
 * A pass-through HTTP proxy to `target` whose answers to the requests `pick` chooses are read whole and
 * rewritten (headers and body; the length is set again, except for HEAD). Returns its origin.
 */
async function startLyingProxy(
  target: string,
  pick: (method: string, url: URL) => ((answer: Answer) => Answer) | null,
): Promise<{ url: string; lies: () => number }> {
  const origin = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let lies = 0;
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const rewrite = pick(method, new URL(req.url ?? '/', 'http://proxy.invalid'));
    const upstream = request({
      hostname: origin.hostname,
      port: origin.port,
      method,
      path: req.url,
      headers: req.rawHeaders, // Host included: a signature covers the host the client used, this proxy
      agent,
    });
    upstream.on('error', () => res.destroy());
    upstream.on('response', async (answer) => {
      if (!rewrite) {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of answer) chunks.push(chunk as Buffer);
      const changed = rewrite({ headers: answer.rawHeaders, body: Buffer.concat(chunks) });
      lies++;
      const headers: string[] = [];
      for (let index = 0; index < changed.headers.length; index += 2) {
        const name = changed.headers[index] as string;
        if (method === 'HEAD' || !/^(content-length|transfer-encoding)$/i.test(name)) {
          headers.push(name, changed.headers[index + 1] as string);
        }
      }
      if (method !== 'HEAD') headers.push('content-length', String(changed.body.length));
      res.writeHead(answer.statusCode ?? 502, headers);
      res.end(method === 'HEAD' ? undefined : changed.body);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  stops.push(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => done());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lies: () => lies };
}

/** The store's HEAD of an uploaded object answers another ETag: the object is not the parts'. */
const headOfObject = (method: string, url: URL) =>
  method === 'HEAD' && url.pathname.includes('/uploads/')
    ? (answer: Answer) => ({
        ...answer,
        headers: answer.headers.map((value, index) =>
          index % 2 === 1 && /^etag$/i.test(answer.headers[index - 1] as string) ? wrongEtag(value) : value,
        ),
      })
    : null;

/** The store's answer to CompleteMultipartUpload names another ETag (the object itself is right). */
const completeAnswer = (method: string, url: URL) =>
  method === 'POST' && url.searchParams.has('uploadId')
    ? (answer: Answer) => ({ ...answer, body: Buffer.from(wrongEtag(answer.body.toString('utf8'))) })
    : null;

/** The app server's answer to complete names another ETag than the object's. */
const appCompleteAnswer = (method: string, url: URL) =>
  method === 'POST' && url.pathname.endsWith('/complete')
    ? (answer: Answer) => {
        const body = JSON.parse(answer.body.toString('utf8')) as { etag: string };
        return { ...answer, body: Buffer.from(JSON.stringify({ ...body, etag: wrongEtag(body.etag) })) };
      }
    : null;

/** The handler on the store through `s3Endpoint`, with what its hook and error reports saw. */
async function handlerOn(s3Endpoint: string) {
  const hook: CompletedUpload[] = [];
  const reported: unknown[] = [];
  const server: UploadServer = await startUploadServer(
    { ...store, endpoint: s3Endpoint },
    {
      policy: { preferredPartSize: 5 * MiB },
      onComplete: (event) => void hook.push(event),
      onError: (error) => void reported.push(error),
    },
  );
  stops.push(() => server.close());
  return { server, hook, reported };
}

function engine(endpoint: string, data: Uint8Array<ArrayBuffer>, extra: Partial<UploadOptions> = {}) {
  const checkpoints = createMemoryCheckpointStore();
  const upload = createUpload(
    nodeEngineOptions(endpoint, {
      source: testSource(data),
      checkpoints,
      serverRetry: { baseMs: 50, capMs: 200 },
      autoStart: true,
      ...extra,
    }),
  );
  return { upload, checkpoints };
}

/** Wait for the upload to fail; returns its error. */
async function failure(upload: Upload): Promise<TesseraError> {
  const error: unknown = await upload.done().then(
    () => new Error('the upload completed'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TesseraError);
  return error as TesseraError;
}

/** `retry()` after the failure: the upload must not end up reported completed. */
async function afterRetry(upload: Upload): Promise<TesseraError> {
  upload.retry();
  return failure(upload);
}

describe('integrity-mismatch', () => {
  it('the server refuses an object whose ETag is not its parts\' (the store lies at HEAD)', async () => {
    const proxy = await startLyingProxy(store.endpoint, headOfObject);
    const { server, hook, reported } = await handlerOn(proxy.url);
    const data = testBytes(12 * MiB, 61);
    const { upload, checkpoints } = engine(server.url, data);

    const error = await failure(upload);
    expect(error).toMatchObject({ code: 'integrity-mismatch', retryable: false, status: 502 });
    expect(error.message).toMatch(/ETag/);
    expect(proxy.lies()).toBeGreaterThan(0);
    expect(upload.getSnapshot()).toMatchObject({ status: 'failed', result: null });
    // The app is never told the upload completed; the handler reports the mismatch to its owner.
    expect(hook).toEqual([]);
    expect(reported).toEqual([expect.objectContaining({ code: 'integrity-mismatch' })]);
    // The checkpoint stays, listing every part (the upload is still offered); retrying cannot make the
    // object right, and ends failed again.
    const [checkpoint] = await checkpoints.list();
    expect(checkpoint?.parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    const again = await afterRetry(upload);
    console.log(`store lies at HEAD: ${error.code} (${error.message}); after retry(): ${again.code}`);
    expect(['integrity-mismatch', 'upload-completed']).toContain(again.code);
    expect(upload.getSnapshot().status).toBe('failed');
    expect(hook).toEqual([]);
  });

  it('the engine refuses a complete answer whose ETag is not the MD5s it computed (the app server lies)', async () => {
    const { server, hook } = await handlerOn(store.endpoint);
    const proxy = await startLyingProxy(new URL(server.url).origin, appCompleteAnswer);
    const data = testBytes(12 * MiB, 62);
    const { upload, checkpoints } = engine(`${proxy.url}${new URL(server.url).pathname}`, data);

    const error = await failure(upload);
    expect(error).toMatchObject({ code: 'integrity-mismatch', retryable: false });
    expect(error.message).toMatch(/^the stored object's ETag [0-9a-f]{32}-3 is not [0-9a-f]{32}-3$/);
    expect(proxy.lies()).toBe(1);
    expect(upload.getSnapshot()).toMatchObject({ status: 'failed', result: null });
    // The server did complete (its hook ran with the real ETag); the engine does not report it completed.
    expect(hook).toHaveLength(1);
    expect(error.message).toContain(`is not ${hook[0]?.etag}`);
    const [checkpoint] = await checkpoints.list();
    expect(checkpoint?.parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    const again = await afterRetry(upload);
    console.log(`app server lies at complete: ${error.code} (${error.message}); after retry(): ${again.code}`);
    expect(['integrity-mismatch', 'upload-completed']).toContain(again.code);
    expect(upload.getSnapshot().status).toBe('failed');
  });

  it('a wrong ETag in the store\'s CompleteMultipartUpload answer is not passed on: the verified one is', async () => {
    const proxy = await startLyingProxy(store.endpoint, completeAnswer);
    const { server, hook } = await handlerOn(proxy.url);
    const data = testBytes(12 * MiB, 63);
    const { upload } = engine(server.url, data);

    const result = await upload.done();
    expect(proxy.lies()).toBe(1);
    const md5s = [0, 1, 2].map((part) =>
      createHash('md5').update(data.subarray(part * 5 * MiB, (part + 1) * 5 * MiB)).digest(),
    );
    const multipart = `${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-3`;
    expect(result.etag).toBe(multipart);
    expect(hook.map((event) => event.etag)).toEqual([multipart]);
    // Completing again answers the same.
    const replay = await call<{ etag: string }>(
      server.url,
      'POST',
      `/v1/uploads/${encodeURIComponent(upload.actor.getSnapshot().context.upload?.uploadId ?? '')}/complete`,
      { parts: upload.actor.getSnapshot().context.parts.map(({ partNumber, etag }) => ({ partNumber, etag })), size: data.length },
      { token: upload.actor.getSnapshot().context.upload?.token ?? '' },
    );
    expect(replay).toMatchObject({ status: 200, body: { etag: multipart } });
  });
});
