/**
 * `createUploadQueue`'s `maxActiveUploads` against the real handler and store: at most that many uploads
 * are under way at once (seen in the queue's snapshots and in the part PUTs on the wire), the others wait
 * idle and start as uploads finish or are removed, and every upload completes byte-identical.
 */
import {
  createFetchPartUploader,
  createUploadQueue,
  type PartUploader,
  type UploadQueueOptions,
  type UploadSnapshot,
} from '@tessera/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storedObjectSha256 } from '../support/browserTestFiles.js';
import { sha256Hex, testBytes } from '../support/protocolClient.js';
import { nodeEngineOptions } from '../support/nodeEngine.js';
import { startUploadServer, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const store = inject('store');
const SETTLED = new Set(['completed', 'aborted', 'failed']);
let server: UploadServer;

beforeAll(async () => {
  server = await startUploadServer(store, { policy: { preferredPartSize: 5 * MiB } });
});
afterAll(() => server.close());

const stored = (data: Uint8Array) => ({ sha256: sha256Hex(data), size: data.length });

/** A part uploader that keeps the most uploads (told apart by the URL's uploadId) with a PUT in flight at once. */
function watchingUploader(): PartUploader & { mostUploadsAtOnce: () => number } {
  const inner = createFetchPartUploader();
  const inFlight = new Map<string, number>();
  let most = 0;
  return {
    mostUploadsAtOnce: () => most,
    async upload(request) {
      const uploadId = new URL(request.url).searchParams.get('uploadId') ?? '';
      inFlight.set(uploadId, (inFlight.get(uploadId) ?? 0) + 1);
      most = Math.max(most, inFlight.size);
      try {
        return await inner.upload(request);
      } finally {
        const left = (inFlight.get(uploadId) ?? 1) - 1;
        if (left === 0) inFlight.delete(uploadId);
        else inFlight.set(uploadId, left);
      }
    },
  };
}

function queueOptions(uploader: PartUploader, extra: Partial<UploadQueueOptions>): UploadQueueOptions {
  return nodeEngineOptions(server.url, { uploader, ...extra });
}

/** What the queue's snapshots showed: the most uploads under way at once, and the order uploads started and settled. */
function watchQueue(subscribe: (listener: (snapshots: UploadSnapshot[]) => void) => () => void) {
  const seen = { mostActive: 0, started: [] as string[], settled: [] as string[], settledWhenStarted: new Map<string, number>() };
  const unsubscribe = subscribe((snapshots) => {
    const active = snapshots.filter((snapshot) => snapshot.status !== 'idle' && !SETTLED.has(snapshot.status));
    seen.mostActive = Math.max(seen.mostActive, active.length);
    for (const snapshot of snapshots) {
      if (snapshot.status !== 'idle' && !seen.started.includes(snapshot.id)) {
        seen.started.push(snapshot.id);
        seen.settledWhenStarted.set(snapshot.id, seen.settled.length);
      }
      if (SETTLED.has(snapshot.status) && !seen.settled.includes(snapshot.id)) seen.settled.push(snapshot.id);
    }
  });
  return { seen, unsubscribe };
}

describe('an upload queue with maxActiveUploads', () => {
  it('keeps at most 2 of 5 uploads under way; the others wait and start as slots free; all complete', async () => {
    const uploader = watchingUploader();
    const queue = createUploadQueue(queueOptions(uploader, { concurrency: 4, maxActiveUploads: 2 }));
    const { seen, unsubscribe } = watchQueue((listener) => queue.subscribe(listener));
    const files = [1, 2, 3, 4, 5].map((seed) => testBytes(12 * MiB, 80 + seed));
    const uploads = queue.add(files.map((data, index) => new File([data], `talk-${index}.webm`, { type: 'video/webm' })));
    // Two started at once; three wait, not even created on the server.
    expect(uploads.map((upload) => upload.getSnapshot().status === 'idle')).toEqual([false, false, true, true, true]);
    const results = await Promise.all(uploads.map((upload) => upload.done()));
    unsubscribe();
    console.log(
      `queue: at most ${seen.mostActive} uploads under way, ${uploader.mostUploadsAtOnce()} with part PUTs in flight at once (limit 2)`,
    );
    expect(seen.mostActive).toBe(2);
    expect(uploader.mostUploadsAtOnce()).toBeLessThanOrEqual(2);
    // In the order they were added, each waiting one only once an earlier one had settled.
    expect(seen.started).toEqual(uploads.map((upload) => upload.id));
    uploads.slice(2).forEach((upload, index) => expect(seen.settledWhenStarted.get(upload.id)).toBeGreaterThanOrEqual(index + 1));
    for (const [index, result] of results.entries()) {
      expect(await storedObjectSha256(store, result.key)).toEqual(stored(files[index] as Uint8Array));
    }
  });

  it('starts a waiting upload when an active one is removed', async () => {
    const uploader = watchingUploader();
    const queue = createUploadQueue(queueOptions(uploader, { concurrency: 2, maxActiveUploads: 1 }));
    const files = [1, 2].map((seed) => testBytes(12 * MiB, 90 + seed));
    const [first, second] = queue.add(files.map((data, index) => new File([data], `clip-${index}.webm`)));
    if (!first || !second) throw new Error('two uploads were queued');
    expect(second.getSnapshot().status).toBe('idle');
    queue.remove(first.id);
    expect(second.getSnapshot().status).not.toBe('idle');
    const result = await second.done();
    expect(await storedObjectSha256(store, result.key)).toEqual(stored(files[1] as Uint8Array));
    expect(queue.uploads.map((upload) => upload.id)).toEqual([second.id]);
  });
});
