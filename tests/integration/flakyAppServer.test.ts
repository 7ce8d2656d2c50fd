/**
 * The engine in Node against a flaky *app server*: a fault proxy sits in front of the real handler (the store
 * is reached directly), and resets connections, answers 5xx and 429, stalls past the call deadline, or is
 * gone for a minute. Every upload must complete byte-identical; nothing may hang.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  createUpload,
  type ServerRetry,
  type UploadOptions,
} from '@tessera/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import { type FaultKind, type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { testBytes } from '../support/protocolClient.js';
import { nodeEngineOptions, testSource } from '../support/nodeEngine.js';
import { startUploadServer, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const store = inject('store');
let s3: S3Client;
let server: UploadServer;

beforeAll(async () => {
  s3 = storeClient(store);
  // 5 MiB parts: more parts, so more calls to the app server per upload.
  server = await startUploadServer(store, { policy: { preferredPartSize: 5 * MiB } });
});
afterAll(async () => {
  await server.close();
  s3.destroy();
});

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function storedSha256(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Draws for the fault proxy that fail every other call, alternating between the first two kinds: the proxy
 * draws once per call (fail?) and once more for a failing call (which kind).
 */
function everyOtherCall(): () => number {
  const cycle = [0.01, 0.2, 0.99, 0.01, 0.7, 0.99];
  let index = 0;
  return () => cycle[index++ % cycle.length] as number;
}

/** A fault proxy in front of the app server: every call to it may be faulted, none to the store. */
function appServerProxy(kinds: readonly FaultKind[], faultRate: number, seed: number, stallMs = 60_000) {
  const origin = new URL(server.url).origin;
  return startFaultProxy({ target: origin, kinds, faultRate, seed, stallMs, isFaultable: () => true });
}

function options(proxy: FaultProxy, data: Uint8Array<ArrayBuffer>, extra: Partial<UploadOptions> = {}): UploadOptions {
  return nodeEngineOptions(`${proxy.url}${new URL(server.url).pathname}`, {
    source: testSource(data),
    // Short retries, so the test waits seconds rather than the defaults' minutes.
    serverRetry: { baseMs: 100, capMs: 2_000 },
    autoStart: true,
    ...extra,
  });
}

describe('the engine against a flaky app server', () => {
  it.each<{ name: string; kinds: FaultKind[] }>([
    { name: 'connections reset mid-request and before the answer', kinds: ['reset-mid-body', 'reset-before-response'] },
    { name: '500 and 503 answers', kinds: ['status-500', 'status-503'] },
  ])('completes byte-identical through $name on every other call, and says it retried', async ({ kinds }) => {
    const proxy = await startFaultProxy({
      target: new URL(server.url).origin,
      kinds,
      faultRate: 0.5,
      random: everyOtherCall(),
      isFaultable: () => true,
    });
    try {
      const data = testBytes(60 * MiB, 5);
      const retries: ServerRetry[] = [];
      // One part at a time signs two per call: 12 parts make 6 sign calls besides create and complete.
      const upload = createUpload(
        options(proxy, data, { concurrency: 1, onServerRetry: (retry) => retries.push(retry) }),
      );
      const result = await upload.done();
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      const stats = proxy.stats();
      // Create, six signs and complete, each failing once before it passes.
      expect(stats.totalFaults).toBeGreaterThanOrEqual(8);
      expect(stats.faults[kinds[0] as FaultKind]).toBeGreaterThan(0);
      expect(stats.faults[kinds[1] as FaultKind]).toBeGreaterThan(0);
      // Every fault the proxy made was met by exactly one retry (an answer that was lost is retried too).
      expect(retries.length).toBe(stats.totalFaults);
      console.log(`${kinds.join(', ')}: ${stats.requests} calls, ${stats.totalFaults} faulted, all retried`);
    } finally {
      await proxy.close();
    }
  });

  it('abandons a call that stalls past its deadline and retries it: the upload never hangs', async () => {
    const proxy = await appServerProxy(['stall'], 0.3, 23);
    try {
      const data = testBytes(24 * MiB, 6);
      const retries: ServerRetry[] = [];
      const upload = createUpload(
        options(proxy, data, {
          serverTimeouts: { create: 1_500, sign: 1_500, list: 1_500, complete: 3_000, abort: 1_500 },
          onServerRetry: (retry) => retries.push(retry),
        }),
      );
      const result = await upload.done();
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      expect(proxy.stats().faults.stall).toBeGreaterThan(0);
      expect(retries.filter((retry) => retry.error.code === 'timeout')).toHaveLength(proxy.stats().faults.stall);
    } finally {
      await proxy.close();
    }
  });

  it('honours a 429 Retry-After from the app server', async () => {
    // A rate limiter in front of the app: the first sign is refused with Retry-After: 2, the rest forwarded.
    let refused = 0;
    const front = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (request.url?.endsWith('/sign') && refused++ === 0) {
        response.writeHead(429, { 'retry-after': '2', 'content-type': 'text/plain' }).end('slow down');
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      const answer = await fetch(new URL(request.url ?? '/', new URL(server.url).origin), {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
      });
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((done) => front.listen(0, '127.0.0.1', done));
    const { port } = front.address() as AddressInfo;
    try {
      const data = testBytes(6 * MiB, 7);
      const retries: ServerRetry[] = [];
      const upload = createUpload({
        ...options({ url: `http://127.0.0.1:${port}` } as FaultProxy, data),
        onServerRetry: (retry) => retries.push(retry),
      });
      const result = await upload.done();
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      expect(retries).toEqual([expect.objectContaining({ call: 'sign', delayMs: 2_000 })]);
      expect(retries[0]?.error).toMatchObject({ status: 429, retryAfterMs: 2_000 });
    } finally {
      front.closeAllConnections();
      await new Promise((done) => front.close(done));
    }
  });

  it('waits out a 60 s outage of the app server in the middle of an upload, and completes', async () => {
    const proxy = await appServerProxy(['stall'], 0, 1);
    try {
      const data = testBytes(48 * MiB, 8);
      const retries: ServerRetry[] = [];
      const upload = createUpload(
        options(proxy, data, {
          // Few parts signed per call, so the upload needs the server again soon after the outage starts.
          concurrency: 1,
          serverRetry: { baseMs: 200, capMs: 5_000 },
          onServerRetry: (retry) => retries.push(retry),
        }),
      );
      await new Promise<void>((done) => {
        const unsubscribe = upload.subscribe((snapshot) => {
          if ((snapshot.progress.fraction ?? 0) >= 0.2) {
            unsubscribe();
            done();
          }
        });
      });
      proxy.setOffline(true);
      const outageStarted = performance.now();
      await new Promise((done) => setTimeout(done, 60_000));
      proxy.setOffline(false);
      const result = await upload.done();
      expect(performance.now() - outageStarted).toBeGreaterThanOrEqual(60_000);
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      expect(retries.length).toBeGreaterThan(5);
      expect(retries.every((retry) => retry.error.code === 'network-error')).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
