/**
 * Races on one upload against the real store, through two handler instances that share only the secret and
 * the store (as two app servers would): abort against complete, completes against each other, sign against
 * complete, a failing onComplete. Each race is run 50 times with its second request's start swept over
 * 0–1.2× a complete's duration, and the invariants are asserted on every trial.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CreateUploadResponse, SignPartsResponse } from '@tessera/core';
import type { CompletedUpload } from '@tessera/server-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreInfo, startSwiftStore, stopSwiftStore, storeClient } from '../../scripts/swiftStore.js';
import { call, completeUpload, createUpload, md5Base64, putParts, sha256Hex, signParts, testBytes } from '../support/protocolClient.js';
import { startUploadServer, type UploadServer } from '../support/uploadServer.js';

const KiB = 1024;
const PART = 64 * KiB;
const PARTS = 8;
const TRIALS = 50;
const dir = join(process.cwd(), '.store', `races-${process.pid}`);
const data = testBytes(PARTS * PART - 1000, 31);
const dataSha256 = sha256Hex(data);

let store: StoreInfo;
let s3: S3Client;
let instances: [UploadServer, UploadServer];
const hookRuns = new Map<string, CompletedUpload[]>();
const failHookFor = new Set<string>();
let completeMs = 0;

interface Reply {
  status: number;
  code?: string;
  body: unknown;
  /** When the answer arrived, ms since the trial started. */
  at: number;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function timed(started: number, request: Promise<{ status: number; body: unknown }>): Promise<Reply> {
  const reply = await request;
  const code = (reply.body as { error?: { code?: string } } | null)?.error?.code;
  return { status: reply.status, ...(code && { code }), body: reply.body, at: performance.now() - started };
}

/** A new upload with every part stored, ready to complete. */
async function readyUpload(): Promise<{ upload: CreateUploadResponse; parts: Array<{ partNumber: number; etag: string }> }> {
  const created = await createUpload(instances[0].url, { fileName: 'race.bin', contentType: 'application/octet-stream', size: data.length });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const upload = created.body;
  expect(upload.partCount).toBe(PARTS);
  const numbers = Array.from({ length: PARTS }, (_, index) => index + 1);
  const parts = await putParts(instances[0].url, upload, data, numbers);
  return { upload, parts: parts.map(({ partNumber, etag }) => ({ partNumber, etag: etag.replaceAll('"', '') })) };
}

const completeOn = (instance: UploadServer, ready: Awaited<ReturnType<typeof readyUpload>>) =>
  completeUpload(instance.url, ready.upload, { parts: ready.parts, size: data.length });
const abortOn = (instance: UploadServer, upload: CreateUploadResponse) =>
  call(instance.url, 'DELETE', `/v1/uploads/${encodeURIComponent(upload.uploadId)}`, undefined, { token: upload.token });

/** The object's bytes' SHA-256, `'unreadable'` when the store cannot serve it whole, or `null` when absent. */
async function storedSha256(key: string): Promise<string | null | 'unreadable'> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
    return sha256Hex(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return status === 404 ? null : 'unreadable';
  }
}

async function uploadIsOpen(upload: CreateUploadResponse): Promise<boolean> {
  try {
    await s3.send(new ListPartsCommand({ Bucket: store.bucket, Key: upload.key, UploadId: upload.uploadId }));
    return true;
  } catch {
    return false;
  }
}

/** Keys of the intent records the handler keeps for `upload` (see intents.ts for the naming). */
async function records(upload: CreateUploadResponse): Promise<string[]> {
  const id = createHash('sha256').update(`${upload.key}\n${upload.uploadId}`).digest('hex').slice(0, 40);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: store.bucket, Prefix: `.tessera/intents/${id}` }));
  return (listed.Contents ?? []).map((object) => (object.Key ?? '').slice(`.tessera/intents/${id}`.length));
}

/** The delay of trial `index`: swept from 0 to 1.2 × a complete's duration. */
const sweep = (index: number) => (index / (TRIALS - 1)) * 1.2 * completeMs;

beforeAll(async () => {
  store = await startSwiftStore({ dir, bucket: 'races', minPartSize: PART });
  s3 = storeClient(store);
  const overrides = {
    policy: { minPartSize: PART, preferredPartSize: PART },
    onComplete: async (event: CompletedUpload) => {
      hookRuns.set(event.uploadId, [...(hookRuns.get(event.uploadId) ?? []), event]);
      if (failHookFor.delete(event.uploadId)) throw new Error('the database is down');
    },
  };
  instances = [await startUploadServer(store, overrides), await startUploadServer(store, overrides)];
  // What a complete of such an upload takes here: the window the races below are swept over.
  const durations: number[] = [];
  for (let run = 0; run < 3; run++) {
    const ready = await readyUpload();
    const started = performance.now();
    expect((await completeOn(instances[0], ready)).status).toBe(200);
    durations.push(performance.now() - started);
  }
  completeMs = durations.sort((a, b) => a - b)[1] as number;
  console.log(`a complete of ${PARTS} parts takes ${completeMs.toFixed(0)} ms here`);
}, 180_000);

afterAll(async () => {
  await Promise.all((instances ?? []).map((instance) => instance.close()));
  s3?.destroy();
  await stopSwiftStore(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('races on one upload, two handler instances, the real store', { timeout: 240_000 }, () => {
  it('abort racing complete: never both, an acknowledged object is whole and stays so', async () => {
    const tally: Record<string, number> = {};
    for (let trial = 0; trial < TRIALS; trial++) {
      const ready = await readyUpload();
      const started = performance.now();
      const completing = timed(started, completeOn(instances[0], ready));
      await pause(sweep(trial));
      const aborting = timed(started, abortOn(instances[1], ready.upload));
      const [complete, abort] = await Promise.all([completing, aborting]);
      const outcome = `complete ${complete.status}${complete.code ? ` ${complete.code}` : ''} / abort ${abort.status}${abort.code ? ` ${abort.code}` : ''}`;
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      const stored = await storedSha256(ready.upload.key);
      const where = `trial ${trial} (abort after ${sweep(trial).toFixed(0)} ms): ${outcome}`;
      expect(complete.status === 200 && abort.status === 200, where).toBe(false);
      expect([200, 409, 404], where).toContain(complete.status);
      expect([200, 409, 404], where).toContain(abort.status);
      if (complete.status === 200) {
        expect(stored, where).toBe(dataSha256);
        expect(hookRuns.get(ready.upload.uploadId)?.length, where).toBeGreaterThanOrEqual(1);
      }
      if (abort.status === 200) {
        expect(stored, where).toBeNull();
        expect(await uploadIsOpen(ready.upload), where).toBe(false);
      }
      expect(stored, where).not.toBe('unreadable');
      // Both stood back (each saw the other's record): the complete, retried, succeeds.
      if (complete.status === 409 && abort.status === 409) {
        expect((await completeOn(instances[0], ready)).status, where).toBe(200);
        expect(await storedSha256(ready.upload.key), where).toBe(dataSha256);
      }
      // No abort record outlives its request; after a successful complete or abort no record at all.
      const left = await records(ready.upload);
      expect(left.filter((key) => key.startsWith('.abort.')), where).toEqual([]);
      if (complete.status === 200 || abort.status === 200) expect(left, where).toEqual([]);
    }
    console.log('abort racing complete, 50 trials:', tally);
    expect(Object.keys(tally).length).toBeGreaterThan(1);
  });

  it('six completes at once, three on each instance: all answer the same, the hook runs, usually once', async () => {
    const runs: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const ready = await readyUpload();
      const replies = await Promise.all(
        Array.from({ length: 6 }, (_, index) => completeOn(instances[(index % 2) as 0 | 1], ready)),
      );
      const refused = replies.filter((reply) => reply.status !== 200).map((reply) => JSON.stringify(reply.body));
      const where = `trial ${trial}${refused.length ? `: ${refused.join(', ')}` : ''}`;
      expect(replies.map((reply) => reply.status), where).toEqual([200, 200, 200, 200, 200, 200]);
      for (const reply of replies) expect(reply.body, where).toEqual(replies[0]?.body);
      expect(await storedSha256(ready.upload.key), where).toBe(dataSha256);
      const hooks = hookRuns.get(ready.upload.uploadId) ?? [];
      expect(hooks.length, where).toBeGreaterThanOrEqual(1);
      for (const hook of hooks) expect(hook, where).toMatchObject({ key: ready.upload.key, size: data.length, partCount: PARTS });
      runs.push(hooks.length);
      expect(await records(ready.upload), where).toEqual([]);
    }
    const histogram = runs.reduce<Record<number, number>>((counts, count) => ({ ...counts, [count]: (counts[count] ?? 0) + 1 }), {});
    console.log('hook runs per upload for six racing completes, 50 trials:', histogram);
  });

  it('sign racing complete: a sign that starts after the complete answered is refused', async () => {
    const tally: Record<string, number> = {};
    let signedBefore = 0;
    let unreadable = 0;
    const other = testBytes(PART, 99);
    for (let trial = 0; trial < TRIALS; trial++) {
      const ready = await readyUpload();
      const started = performance.now();
      const completing = timed(started, completeOn(instances[0], ready));
      await pause(sweep(trial));
      const signStarted = performance.now() - started;
      const signing = timed(
        started,
        signParts(instances[1].url, ready.upload, [{ partNumber: 1, size: PART, checksum: md5Base64(other) }]),
      );
      const [complete, sign] = await Promise.all([completing, signing]);
      const where = `trial ${trial} (sign after ${sweep(trial).toFixed(0)} ms): complete ${complete.status}, sign ${sign.status} ${sign.code ?? ''}`;
      tally[`sign ${sign.status}${sign.code ? ` ${sign.code}` : ''}`] = (tally[`sign ${sign.status}${sign.code ? ` ${sign.code}` : ''}`] ?? 0) + 1;
      expect(complete.status, where).toBe(200);
      if (signStarted > complete.at) expect(sign, where).toMatchObject({ status: 409, code: 'upload-completed' });
      else expect([200, 409], where).toContain(sign.status);
      if (sign.status === 409) expect(sign.code, where).toBe('upload-completed');
      // A sign after complete is refused; one answered before may be used until its URL expires (urlTtlSeconds):
      // count what such a PUT does to the object on this store (Swift accepts it, AWS S3 refuses it).
      if (sign.status === 200) {
        signedBefore++;
        const again = await signParts(instances[1].url, ready.upload, [{ partNumber: 1, size: PART, checksum: md5Base64(other) }]);
        expect(again, where).toMatchObject({ status: 409, body: { error: { code: 'upload-completed' } } });
        const [url] = (sign.body as SignPartsResponse).parts;
        const put = await fetch(url?.url ?? '', { method: 'PUT', headers: url?.headers, body: new Blob([other]) });
        // Swift accepts it and then refuses to serve the object (it checks each segment's ETag): never served changed.
        const after = await storedSha256(ready.upload.key);
        expect([dataSha256, 'unreadable'], where).toContain(after);
        if (put.status === 200 && after === 'unreadable') unreadable++;
      } else {
        expect(await storedSha256(ready.upload.key), where).toBe(dataSha256);
      }
    }
    console.log(
      'sign racing complete, 50 trials:',
      tally,
      `${signedBefore} signed before the complete answered; a PUT with such a URL after completion left the object unreadable in ${unreadable}, never served changed`,
    );
  });

  it('a failing onComplete: complete answers hook-failed, the retry runs the hook again and answers 200, and aborts stay refused', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const ready = await readyUpload();
      failHookFor.add(ready.upload.uploadId);
      const first = await completeOn(instances[trial % 2 === 0 ? 0 : 1], ready);
      expect(first).toMatchObject({ status: 500, body: { error: { code: 'hook-failed', retryable: true } } });
      expect(await storedSha256(ready.upload.key)).toBe(dataSha256);
      expect((await abortOn(instances[1], ready.upload)).body).toMatchObject({ error: { code: 'upload-completed' } });
      const retried = await completeOn(instances[trial % 2 === 0 ? 1 : 0], ready);
      expect(retried.status).toBe(200);
      expect(hookRuns.get(ready.upload.uploadId)?.map((run) => run.replayed)).toEqual([false, true]);
      expect((await completeOn(instances[0], ready)).status).toBe(200);
      expect(hookRuns.get(ready.upload.uploadId)).toHaveLength(2);
      expect(await records(ready.upload)).toEqual([]);
    }
  });
});
