/**
 * The engine (`createUpload`) in Node with its Node adapters, through the real handler over real HTTP into
 * the real store; faults come from a real proxy in front of the store. (Chromium runs the browser adapters.)
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type Checkpoint,
  type CheckpointStore,
  createFetchPartUploader,
  createHashWasmHasher,
  createMemoryCheckpointStore,
  createUpload,
  createUploadQueue,
  type NetworkStatus,
  type PartUploader,
  resumeUpload,
  type UploadOptions,
} from '@tessera/core';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { testBytes } from '../support/protocolClient.js';
import { startUploadServer, TEST_USER_HEADER, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const store = inject('store');
const online: NetworkStatus = { isOnline: () => true, subscribe: () => () => undefined };
let s3: S3Client;

beforeAll(() => {
  s3 = storeClient(store);
});
afterAll(() => s3.destroy());

async function storedSha256(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A part uploader that counts the bytes it sends. */
function counting(uploader: PartUploader): PartUploader & { bytes: number } {
  const counter = {
    bytes: 0,
    upload: async (request: Parameters<PartUploader['upload']>[0]) => {
      counter.bytes += request.body.size;
      return uploader.upload(request);
    },
  };
  return counter;
}

function options(server: UploadServer, data: Uint8Array<ArrayBuffer>, extra: Partial<UploadOptions> = {}): UploadOptions {
  return {
    source: new File([data], 'video.mp4', { type: 'video/mp4', lastModified: 1_700_000_000_000 }),
    endpoint: server.url,
    uploader: createFetchPartUploader(),
    hasher: createHashWasmHasher(),
    checkpoints: createMemoryCheckpointStore(),
    network: online,
    headers: () => ({ [TEST_USER_HEADER]: 'alice' }),
    ...extra,
  };
}

describe('the engine against the real store', () => {
  it('uploads 64 MiB byte-identical, with the whole-file SHA-256 it computed', async () => {
    const server = await startUploadServer(store);
    try {
      const data = testBytes(64 * MiB, 17);
      const started = performance.now();
      const upload = createUpload(options(server, data, { autoStart: true }));
      const result = await upload.done();
      const seconds = (performance.now() - started) / 1000;
      console.log(`engine (Node): 64 MiB in ${seconds.toFixed(2)} s, ${(64 / seconds).toFixed(0)} MiB/s`);
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      expect(Buffer.from(result.sha256 ?? '', 'base64').toString('hex')).toBe(sha256Hex(data));
      expect(result.etag).toMatch(/-8$/);
      expect(upload.getSnapshot()).toMatchObject({ status: 'completed', progress: { fraction: 1 } });
    } finally {
      await server.close();
    }
  });

  it('uploads with every checksum off (a handler with checksumAlgorithm none, no whole-file SHA-256)', async () => {
    const server = await startUploadServer(store, { checksumAlgorithm: 'none' });
    try {
      const data = testBytes(24 * MiB, 23);
      const sent: Array<Record<string, string>> = [];
      const inner = createFetchPartUploader();
      const uploader: PartUploader = {
        upload: (request) => {
          sent.push(request.headers);
          return inner.upload(request);
        },
      };
      const upload = createUpload(options(server, data, { autoStart: true, uploader, wholeFileSha256: false }));
      const result = await upload.done();
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      expect(result.sha256).toBeNull();
      expect(result.etag).toMatch(/-3$/);
      expect(sent).toStrictEqual([{}, {}, {}]);
    } finally {
      await server.close();
    }
  });

  it('completes byte-identical through a proxy failing a quarter of the part PUTs', async () => {
    const proxy: FaultProxy = await startFaultProxy({
      target: store.endpoint,
      faultRate: 0.3,
      seed: 42,
      stallMs: 300,
    });
    const server = await startUploadServer(store, {
      policy: { preferredPartSize: 5 * MiB },
      s3: {
        endpoint: proxy.url,
        region: store.region,
        forcePathStyle: true,
        credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
      },
    });
    try {
      const data = testBytes(100 * MiB, 23); // 20 parts of 5 MiB
      const uploader = counting(createFetchPartUploader());
      const upload = createUpload(
        options(server, data, {
          uploader,
          autoStart: true,
          timeoutMs: 5_000,
          retry: { baseMs: 20, capMs: 200, maxAttempts: 12 },
        }),
      );
      const result = await upload.done();
      const stats = proxy.stats();
      console.log(
        `fault proxy: ${stats.totalFaults} faults in ${stats.faultable} part PUTs ${JSON.stringify(stats.faults)}; ${uploader.bytes / MiB} MiB sent for 100 MiB`,
      );
      expect(stats.faultable).toBeGreaterThan(20);
      expect(stats.totalFaults / stats.faultable).toBeGreaterThanOrEqual(0.2);
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
    } finally {
      await server.close();
      await proxy.close();
    }
  });

  it('resumes after the page is gone: re-sends at most concurrency × part size', async () => {
    const server = await startUploadServer(store);
    const checkpoints: CheckpointStore = createMemoryCheckpointStore();
    try {
      const data = testBytes(80 * MiB, 29); // 10 parts of 8 MiB
      const uploader = counting(createFetchPartUploader());
      const first = createUpload(options(server, data, { checkpoints, uploader, concurrency: 2, autoStart: true }));
      await new Promise<void>((resolve) => {
        const stop = first.subscribe((snapshot) => {
          if (snapshot.parts.filter((part) => part.status === 'done').length >= 4 || snapshot.status === 'failed') {
            stop();
            resolve();
          }
        });
      });
      first.actor.stop(); // the tab is closed: in-flight PUTs are cut
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [checkpoint] = (await checkpoints.list()) as Checkpoint[];
      expect(checkpoint?.parts.length).toBeGreaterThanOrEqual(4);

      const second = resumeUpload(checkpoint as Checkpoint, options(server, data, { checkpoints, uploader }));
      second.start();
      const result = await second.done();
      // Every PUT started counts in full, cut or not: bytes sent in both sessions beyond the file's size.
      const resent = uploader.bytes - data.length;
      console.log(`resume: ${checkpoint?.parts.length} parts kept, ${resent / MiB} MiB re-sent`);
      expect(resent).toBeLessThanOrEqual(2 * 8 * MiB);
      expect(await storedSha256(result.key)).toBe(sha256Hex(data));
      expect(await checkpoints.list()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses a different file on resume before sending anything', async () => {
    const server = await startUploadServer(store);
    const checkpoints = createMemoryCheckpointStore();
    try {
      const data = testBytes(24 * MiB, 31);
      const first = createUpload(options(server, data, { checkpoints, autoStart: true }));
      await first.done();
      const [checkpointAfter] = await checkpoints.list();
      expect(checkpointAfter).toBeUndefined();

      const paused = createUpload(options(server, data, { checkpoints, concurrency: 1 }));
      paused.start();
      await new Promise<void>((resolve) => {
        const stop = paused.subscribe((snapshot) => {
          if (snapshot.parts.some((part) => part.status === 'done') || snapshot.status === 'failed') {
            stop();
            resolve();
          }
        });
      });
      paused.actor.stop();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [checkpoint] = await checkpoints.list();
      const uploader = counting(createFetchPartUploader());
      const other = resumeUpload(checkpoint as Checkpoint, options(server, testBytes(24 * MiB, 99), { checkpoints, uploader }));
      other.start();
      await expect(other.done()).rejects.toMatchObject({ code: 'fingerprint-mismatch' });
      expect(uploader.bytes).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a queue keeps at most its global limit of parts in flight across uploads, and completes them all', async () => {
    const server = await startUploadServer(store);
    try {
      let inFlight = 0;
      let peak = 0;
      const inner = createFetchPartUploader();
      const uploader: PartUploader = {
        async upload(request) {
          inFlight++;
          peak = Math.max(peak, inFlight);
          try {
            return await inner.upload(request);
          } finally {
            inFlight--;
          }
        },
      };
      const files = [1, 2, 3].map((seed) => testBytes(20 * MiB, 40 + seed));
      const queue = createUploadQueue({
        endpoint: server.url,
        concurrency: 3,
        uploader,
        hasher: createHashWasmHasher(),
        checkpoints: createMemoryCheckpointStore(),
        network: online,
        headers: () => ({ [TEST_USER_HEADER]: 'alice' }),
      });
      const uploads = queue.add(files.map((data, i) => new File([data], `f${i}.bin`)));
      const results = await Promise.all(uploads.map((upload) => upload.done()));
      console.log(`queue: peak ${peak} parts in flight across 3 uploads (limit 3)`);
      expect(peak).toBeLessThanOrEqual(3);
      expect(peak).toBeGreaterThanOrEqual(2);
      for (const [i, result] of results.entries()) {
        expect(await storedSha256(result.key)).toBe(sha256Hex(files[i] as Uint8Array));
      }
    } finally {
      await server.close();
    }
  });
});
