import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Actor, createActor, SimulatedClock, waitFor } from 'xstate';
import { createHashWasmHasher } from '../src/adapters/hashWasmHasher.js';
import { blobSource } from '../src/blobSource.js';
import type { Checkpoint } from '../src/logic/checkpoint.js';
import { TesseraError } from '../src/errors.js';
import { uploadMachine } from '../src/machines/uploadMachine.js';
import type { SessionDeps, UploadSource } from '../src/session.js';
import { toUploadSnapshot } from '../src/snapshot.js';
import { createMemoryCheckpointStore } from '../src/adapters/memoryCheckpointStore.js';
import type { CheckpointStore, Hasher } from '../src/ports.js';
import {
  bytes,
  FakeGrowingSource,
  FakeNetwork,
  FakeServer,
  ManualClock,
  md5Hex,
  ScriptedUploader,
  type Step,
} from './fakes.js';

const PART = 10;
const SIZE = 35; // 4 parts: 10 + 10 + 10 + 5

interface Rig {
  actor: Actor<typeof uploadMachine>;
  server: FakeServer;
  uploader: ScriptedUploader;
  checkpoints: CheckpointStore;
  network: FakeNetwork;
  clock: ManualClock;
  timers: SimulatedClock;
  data: Uint8Array<ArrayBuffer>;
  status: () => string;
  part: (partNumber: number) => { status: string; attempt: number; reason: string | null };
}

function rig(
  options: {
    script?: Record<number, Step[]>;
    data?: Uint8Array<ArrayBuffer>;
    source?: UploadSource;
    checkpoint?: Checkpoint | null;
    server?: FakeServer;
    checkpoints?: CheckpointStore;
    clock?: ManualClock;
    hasher?: Hasher;
    wholeFileSha256?: boolean;
    nextTask?: () => Promise<void>;
  } = {},
): Rig {
  const clock = options.clock ?? new ManualClock();
  const server = options.server ?? new FakeServer(clock, PART);
  const uploader = new ScriptedUploader(server, options.script);
  const checkpoints = options.checkpoints ?? createMemoryCheckpointStore();
  const network = new FakeNetwork();
  const timers = new SimulatedClock();
  const data = options.data ?? bytes(SIZE);
  const deps: SessionDeps = {
    endpoint: '/api/uploads',
    transport: server,
    uploader,
    hasher: options.hasher ?? createHashWasmHasher(),
    checkpoints,
    network,
    clock,
    random: () => 0.5,
    concurrency: 2,
    retry: { baseMs: 100, capMs: 1_000, maxAttempts: 4 },
    timeoutMs: 10_000,
    stallTimeoutMs: 5_000,
    expiryMarginMs: 1_000,
    probeIntervalMs: 3_000,
    ...(options.wholeFileSha256 !== undefined && { wholeFileSha256: options.wholeFileSha256 }),
    ...(options.nextTask && { nextTask: options.nextTask }),
  };
  const source = options.source ?? blobSource(new Blob([data]), 'clip.bin');
  const actor = createActor(uploadMachine, {
    input: { id: 'local-1', deps, source, checkpoint: options.checkpoint ?? null },
    clock: timers,
  });
  actor.start();
  const snapshot = () => toUploadSnapshot(actor.getSnapshot(), clock.now());
  return {
    actor,
    server,
    uploader,
    checkpoints,
    network,
    clock,
    timers,
    data,
    status: () => snapshot().status,
    part: (partNumber) =>
      snapshot().parts.find((p) => p.partNumber === partNumber) ?? { status: 'unplanned', attempt: 0, reason: null },
  };
}

const until = (r: Rig, predicate: () => boolean) => waitFor(r.actor, predicate, { timeout: 2_000 });
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));
const sha256Base64 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');

/** A first session that stored parts 1 and 2 and then lost its tab: the store, the clock and its checkpoint. */
async function interruptedAfterTwoParts(options: { wholeFileSha256?: boolean } = {}) {
  const clock = new ManualClock();
  const server = new FakeServer(clock, PART);
  const checkpoints = createMemoryCheckpointStore();
  const first = rig({ server, clock, checkpoints, ...options, script: { 3: ['hang'], 4: ['hang'] } });
  first.actor.send({ type: 'START' });
  await until(first, () => first.part(1).status === 'done' && first.part(2).status === 'done');
  await settled();
  first.actor.stop(); // the tab is gone
  const [checkpoint] = await checkpoints.list();
  return { clock, server, checkpoints, checkpoint: checkpoint ?? null };
}

/** What each `hashPart` call asked for: a part digest, a whole-file fold, and how many bytes it read. */
function countingHasher(): Hasher & { calls: Array<{ size: number; digest: boolean; fold: boolean }> } {
  const inner = createHashWasmHasher();
  const calls: Array<{ size: number; digest: boolean; fold: boolean }> = [];
  return {
    calls,
    hashPart(input, signal) {
      calls.push({ size: input.blob.size, digest: input.algorithm !== undefined, fold: input.sha256State !== undefined });
      return inner.hashPart(input, signal);
    },
    finishSha256: inner.finishSha256,
    sampleHash: inner.sampleHash,
  };
}

describe('uploadMachine', () => {
  it('uploads every part, completes with the whole-file SHA-256 and forgets its checkpoint', async () => {
    const r = rig();
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    expect([...r.server.stored.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(Buffer.concat([1, 2, 3, 4].map((n) => r.server.stored.get(n)?.bytes ?? new Uint8Array()))).toEqual(
      Buffer.from(r.data),
    );
    const { result } = r.actor.getSnapshot().context;
    expect(result?.sha256).toBe(sha256Base64(r.data));
    expect(result?.etag).toMatch(/-4$/);
    expect(r.uploader.attempts.sort()).toEqual([1, 2, 3, 4]);
    await settled();
    expect(await r.checkpoints.list()).toEqual([]);
  });

  it("computes each part's MD5 once: the whole-file fold reads parts for SHA-256 only", async () => {
    const hasher = countingHasher();
    const r = rig({ hasher });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    expect(hasher.calls.filter((call) => call.digest).map((call) => call.size)).toEqual([10, 10, 10, 5]);
    expect(hasher.calls.filter((call) => call.fold).map((call) => call.size)).toEqual([10, 10, 10, 5]);
    expect(hasher.calls.filter((call) => call.digest && call.fold)).toEqual([]);
    expect(r.actor.getSnapshot().context.result?.sha256).toBe(sha256Base64(r.data));
  });

  it('with wholeFileSha256 off reads each part once, still checks the ETag, and has no SHA-256', async () => {
    const hasher = countingHasher();
    const r = rig({ hasher, wholeFileSha256: false });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    expect(hasher.calls).toEqual([10, 10, 10, 5].map((size) => ({ size, digest: true, fold: false })));
    const { result } = r.actor.getSnapshot().context;
    expect(result?.sha256).toBeNull();
    expect(result?.etag).toMatch(/-4$/);
    expect(r.server.completeRequests[0]).not.toHaveProperty('sha256');
  });

  it('with part checksums off (the server says none) and no whole-file hash, reads no part at all', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock, PART);
    server.checksumAlgorithm = 'none';
    const hasher = countingHasher();
    const r = rig({ server, clock, hasher, wholeFileSha256: false });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    expect(hasher.calls).toEqual([]);
    expect(server.signedChecksums).toEqual(['', '', '', '']);
    expect(Buffer.concat([1, 2, 3, 4].map((n) => server.stored.get(n)?.bytes ?? new Uint8Array()))).toEqual(
      Buffer.from(r.data),
    );
    expect(r.actor.getSnapshot().context.result?.sha256).toBeNull();
  });

  it('with wholeFileSha256 off, still refuses a stored part that is not the file\'s at resume', async () => {
    const { clock, server, checkpoints, checkpoint } = await interruptedAfterTwoParts({ wholeFileSha256: false });
    expect(checkpoint).toMatchObject({ hashState: null });
    // The stored part 2 holds other bytes than the file's (same size): resume must send it again.
    const stored = server.stored.get(2);
    if (stored) server.stored.set(2, { ...stored, etag: md5Hex(bytes(PART, 9)) });

    const hasher = countingHasher();
    const second = rig({ server, clock, checkpoints, hasher, wholeFileSha256: false, checkpoint });
    second.actor.send({ type: 'START' });
    await until(second, () => second.status() === 'completed');
    expect(second.uploader.attempts.sort()).toEqual([2, 3, 4]);
    expect(hasher.calls.every((call) => !call.fold)).toBe(true);
    expect(second.actor.getSnapshot().context.result?.sha256).toBeNull();
  });

  it('resumes a checkpoint written without the whole-file hash with it on: it folds from the first part', async () => {
    const { clock, server, checkpoints, checkpoint } = await interruptedAfterTwoParts({ wholeFileSha256: false });
    expect(checkpoint?.hashedThrough).toBeGreaterThan(0);

    const second = rig({ server, clock, checkpoints, checkpoint });
    second.actor.send({ type: 'START' });
    await until(second, () => second.status() === 'completed');
    expect(second.actor.getSnapshot().context.result?.sha256).toBe(sha256Base64(second.data));
  });

  it('keeps no actor for a finished part: its children stay bounded however many parts there are', async () => {
    const r = rig({ data: bytes(100 * PART) });
    let most = 0;
    const subscription = r.actor.subscribe((snapshot) => {
      const parts = Object.keys(snapshot.children).filter((id) => id.startsWith('part-'));
      most = Math.max(most, parts.length);
    });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    subscription.unsubscribe();
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2); // the rig's concurrency
  });

  it('collapses checkpoint saves that pile up behind a slow write into the newest', async () => {
    const inner = createMemoryCheckpointStore();
    const saves: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: CheckpointStore = {
      ...inner,
      async save(checkpoint) {
        saves.push(checkpoint.parts.length);
        await gate;
        await inner.save(checkpoint);
      },
    };
    const r = rig({ data: bytes(20 * PART), checkpoints: slow, script: { 20: ['hang'] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.actor.getSnapshot().context.parts.filter((part) => part.status === 'done').length === 19);
    release();
    await settled();
    // The first save is the one made at create (no part yet); the 19 that piled up behind it became one.
    expect(saves).toEqual([0, 19]);
    expect((await inner.list())[0]?.parts).toHaveLength(19);
  });

  it('writes a checkpoint as soon as the server created the upload, before any part is stored', async () => {
    const checkpoints = createMemoryCheckpointStore();
    const r = rig({ data: bytes(4 * PART), checkpoints, script: { 1: ['hang'], 2: ['hang'], 3: ['hang'], 4: ['hang'] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.actor.getSnapshot().matches('uploading'));
    await settled();
    const [saved] = await checkpoints.list();
    expect(saved).toMatchObject({ id: r.actor.getSnapshot().context.id, parts: [] });
    expect(saved?.uploadId).toBe(r.actor.getSnapshot().context.upload?.uploadId);
  });

  it('takes up each part, starts each PUT and writes each checkpoint only after nextTask resolves', async () => {
    const waiting: Array<() => void> = [];
    const nextTask = () => new Promise<void>((resolve) => waiting.push(resolve));
    const inner = createMemoryCheckpointStore();
    const saves: number[] = [];
    const checkpoints: CheckpointStore = {
      ...inner,
      async save(checkpoint) {
        saves.push(checkpoint.parts.length);
        await inner.save(checkpoint);
      },
    };
    const hasher = countingHasher();
    const r = rig({ checkpoints, nextTask, hasher, wholeFileSha256: false });
    r.actor.send({ type: 'START' });
    await until(r, () => r.part(1).status === 'hashing');
    await settled();
    // Created, but nothing hashed, sent or written until a later task.
    expect(hasher.calls).toEqual([]);
    expect(r.uploader.attempts).toEqual([]);
    expect(saves).toEqual([]);
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    let released = 0;
    const releaser = setInterval(() => waiting.splice(0).forEach((go) => (released++, go())), 1);
    await until(r, () => r.status() === 'completed');
    clearInterval(releaser);
    // The delete at the end waits for no task: a completed upload is not left listed as resumable.
    expect(await inner.list()).toEqual([]);
    expect(hasher.calls).toHaveLength(4);
    expect(r.uploader.attempts).toEqual([1, 2, 3, 4]);
    expect(saves.length).toBeGreaterThan(0);
    // One task each: the four parts' hashing, their four PUTs, and every write.
    expect(released).toBeGreaterThanOrEqual(hasher.calls.length + r.uploader.attempts.length + saves.length);
  });

  it('signs ahead in batches once the pipeline is running', async () => {
    // Sending takes longer than hashing, as on a real network: signed parts queue up ahead of the slots.
    const slow: Step = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return server.put(request);
    };
    const server = new FakeServer(new ManualClock(), PART);
    const script = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i + 1, [slow]]));
    const r = rig({ data: bytes(40 * PART), server, clock: server.clock, script });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    const batches = r.server.calls.filter((call) => call.startsWith('sign')).map((call) => call.split(',').length);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(40);
    expect(batches.length).toBeLessThanOrEqual(15);
    expect(Math.max(...batches)).toBeGreaterThanOrEqual(4);
  });

  it('retries a failing part after capped, jittered backoff delays on the machine clock', async () => {
    const r = rig({ script: { 2: [{ kind: 'http', status: 503 }, { kind: 'network' }] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.part(2).status === 'retrying');
    expect(r.part(2).reason).toBe('http 503');
    const snapshotPart = toUploadSnapshot(r.actor.getSnapshot(), r.clock.now()).parts[1];
    expect(snapshotPart?.retryAt).toBe(r.clock.now() + 50);
    await settled();
    expect(r.uploader.attempts.filter((n) => n === 2)).toHaveLength(1);
    // random() = 0.5, base 100 ms: first delay 0.5 × 100 = 50 ms; nothing happens before it passes.
    r.timers.increment(49);
    await settled();
    expect(r.uploader.attempts.filter((n) => n === 2)).toHaveLength(1);
    r.timers.increment(1);
    await until(r, () => r.part(2).status === 'retrying' && r.part(2).attempt === 2);
    expect(r.part(2).reason).toBe('network');
    r.timers.increment(100); // second delay: 0.5 × 200
    await until(r, () => r.status() === 'completed');
    expect(r.uploader.attempts.filter((n) => n === 2)).toHaveLength(3);
  });

  it('pauses finishing the parts in flight: nothing new starts, nothing is sent twice, and the bar holds', async () => {
    const gates: Array<() => void> = [];
    const held = (request: Parameters<ScriptedUploader['upload']>[0]) =>
      new Promise<void>((release) => {
        request.onProgress?.(request.body.size / 2);
        gates.push(release);
      }).then(() => r.server.put(request));
    const r = rig({ script: { 1: [held], 2: [held] } });
    r.actor.send({ type: 'START' });
    await until(r, () => gates.length === 2);
    const before = toUploadSnapshot(r.actor.getSnapshot(), r.clock.now()).progress.uploadedBytes;
    r.actor.send({ type: 'PAUSE', finishInFlight: true });
    expect(r.status()).toBe('pausing');
    await settled();
    // Parts 3 and 4 wait; the two in flight go on and are not aborted.
    expect(r.uploader.attempts).toEqual([1, 2]);
    expect(toUploadSnapshot(r.actor.getSnapshot(), r.clock.now()).progress.uploadedBytes).toBe(before);
    for (const release of gates) release();
    await until(r, () => r.status() === 'paused');
    expect(r.uploader.aborted).toEqual([]);
    expect([...r.server.stored.keys()].sort()).toEqual([1, 2]);
    r.timers.increment(60_000);
    await settled();
    expect(r.uploader.attempts).toEqual([1, 2]);
    r.actor.send({ type: 'RESUME' });
    await until(r, () => r.status() === 'completed');
    expect(r.uploader.attempts.sort()).toEqual([1, 2, 3, 4]);
  });

  it('a resume while pausing goes on uploading; going offline while pausing comes back paused', async () => {
    const gates: Array<() => void> = [];
    const held = (request: Parameters<ScriptedUploader['upload']>[0]) =>
      new Promise<void>((release) => gates.push(release)).then(() => r.server.put(request));
    const r = rig({ script: { 1: [held, 'hang'], 2: [held, 'hang'] } });
    r.actor.send({ type: 'START' });
    await until(r, () => gates.length === 2);
    r.actor.send({ type: 'PAUSE', finishInFlight: true });
    r.actor.send({ type: 'RESUME' });
    expect(r.status()).toBe('uploading');
    r.actor.send({ type: 'PAUSE', finishInFlight: true });
    r.network.set(false);
    expect(r.status()).toBe('offline');
    r.network.set(true);
    expect(r.status()).toBe('paused');
  });

  it('pauses at once when asked to finish the parts in flight and none is', async () => {
    const r = rig();
    r.actor.send({ type: 'PAUSE', finishInFlight: true });
    expect(r.status()).toBe('idle');
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
  });

  it('never shows less uploaded after a pause that stops the parts in flight, and counts them as resending', async () => {
    const r = rig({ script: { 1: ['hang'], 2: ['hang'] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.uploader.attempts.length === 2);
    const progress = () => toUploadSnapshot(r.actor.getSnapshot(), r.clock.now()).progress;
    r.actor.send({ type: 'PART.PROGRESS', partNumber: 1, loaded: 6 });
    r.actor.send({ type: 'PART.PROGRESS', partNumber: 2, loaded: 4 });
    expect(progress().uploadedBytes).toBe(10);
    r.actor.send({ type: 'PAUSE' });
    expect(progress()).toMatchObject({ uploadedBytes: 10, inFlightBytes: 0, resendingBytes: 10 });
  });

  it('pauses during a retry: no attempt while paused, however long; resumes and completes', async () => {
    const r = rig({ script: { 1: [{ kind: 'http', status: 500 }] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.part(1).status === 'retrying');
    r.actor.send({ type: 'PAUSE' });
    expect(r.status()).toBe('paused');
    r.timers.increment(60_000);
    await settled();
    expect(r.uploader.attempts.filter((n) => n === 1)).toHaveLength(1);
    r.actor.send({ type: 'RESUME' });
    await until(r, () => r.status() === 'completed');
    expect(r.uploader.attempts.filter((n) => n === 1)).toHaveLength(2);
  });

  it('cancelled while create is on its way: the upload the server creates is aborted, not left open', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    let answer = () => {};
    const create = server.create.bind(server);
    server.create = (request) => new Promise((resolve) => (answer = () => resolve(create(request))));
    const r = rig({ server, clock: server.clock });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'preparing');
    await settled();
    r.actor.send({ type: 'ABORT' });
    await until(r, () => r.status() === 'aborted');
    expect(server.calls).not.toContain('abort');
    answer(); // the server answers after all
    await settled();
    expect(server.calls).toEqual(['create', 'abort']);
    expect(await r.checkpoints.list()).toEqual([]);
  });

  it('aborts during signing: the sign request is cancelled and the server aborts the upload', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.signGate = new Promise(() => undefined);
    const r = rig({ server, clock: server.clock });
    r.actor.send({ type: 'START' });
    await waitFor(r.actor, () => server.calls.some((call) => call.startsWith('sign')), { timeout: 5_000 });
    r.actor.send({ type: 'ABORT' });
    await until(r, () => r.status() === 'aborted');
    expect(server.calls).toContain('abort');
    expect(r.uploader.attempts).toEqual([]);
  });

  it('goes offline with the network, cancels parts in flight, and carries on by itself when it is back', async () => {
    const r = rig({ script: { 1: ['hang'] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.part(1).status === 'uploading' && r.uploader.attempts.includes(1));
    r.network.set(false);
    expect(r.status()).toBe('offline');
    expect(r.uploader.aborted).toContain(1);
    r.network.set(true);
    await until(r, () => r.status() === 'completed');
    expect(r.server.stored.get(1)?.size).toBe(PART);
  });

  it('re-signs a part whose URL expired and sends it again', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock, PART);
    const expireFirst: Step = (request) => {
      clock.advance(server.urlTtlMs + 1); // the URL expires before the store sees the request
      return server.put(request);
    };
    const r = rig({ server, clock, script: { 1: [expireFirst] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.status() === 'completed');
    expect(server.calls.filter((call) => /^sign (\d+,)*1(,|$)/.test(call))).toHaveLength(2);
    expect(r.uploader.attempts.filter((n) => n === 1)).toHaveLength(2);
  });

  it('re-reads and re-sends a part the store refused as corrupted', async () => {
    const corruptOnce: Step = async (request) => {
      const damaged = new Uint8Array(await request.body.arrayBuffer());
      damaged[0] = (damaged[0] ?? 0) ^ 0xff;
      return server.put({ ...request, body: new Blob([damaged]) });
    };
    const server = new FakeServer(new ManualClock(), PART);
    const r = rig({ server, clock: server.clock, script: { 3: [corruptOnce] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.part(3).status === 'retrying');
    expect(r.part(3).reason).toBe('http 400');
    r.timers.increment(1_000);
    await until(r, () => r.status() === 'completed');
    expect(Buffer.from(server.stored.get(3)?.bytes ?? [])).toEqual(Buffer.from(r.data.subarray(20, 30)));
  });

  it('fails with a typed error naming the part when retries run out; retry() continues without resending', async () => {
    const failure = { kind: 'http' as const, status: 503 };
    const r = rig({ script: { 3: [failure, failure, failure, failure] } });
    r.actor.send({ type: 'START' });
    for (let i = 0; i < 3; i++) {
      await until(r, () => r.part(3).status === 'retrying' && r.part(3).attempt === i + 1);
      r.timers.increment(1_000);
    }
    await until(r, () => r.status() === 'failed');
    const { error } = r.actor.getSnapshot().context;
    expect(error).toMatchObject({ code: 'retries-exhausted', partNumber: 3, retryable: true });
    await settled();
    const sentBefore = [...r.uploader.attempts];
    r.actor.send({ type: 'RETRY' });
    await until(r, () => r.status() === 'completed')
    const sentAfter = r.uploader.attempts.slice(sentBefore.length);
    expect(sentAfter).toEqual([3]);
    expect(r.server.calls).toContain('list');
  });

  it('resumes after a reload from the checkpoint: only parts the store lacks are sent again', async () => {
    const { clock, server, checkpoints, checkpoint } = await interruptedAfterTwoParts();
    expect(checkpoint?.parts.map((part) => part.partNumber)).toEqual([1, 2]);

    const second = rig({ server, clock, checkpoints, checkpoint });
    second.actor.send({ type: 'START' });
    await until(second, () => second.status() === 'completed');
    expect(second.uploader.attempts.sort()).toEqual([3, 4]);
    expect(second.uploader.bytesSent).toBeLessThanOrEqual(2 * PART);
    expect(second.actor.getSnapshot().context.result?.sha256).toBe(sha256Base64(second.data));
  });

  it('refuses to resume with another file, before sending anything', async () => {
    const { clock, server, checkpoints, checkpoint } = await interruptedAfterTwoParts();
    const callsBefore = server.calls.length;
    const other = rig({ server, clock, checkpoints, checkpoint, data: bytes(SIZE, 9) });
    other.actor.send({ type: 'START' });
    await until(other, () => other.status() === 'failed');
    expect(other.actor.getSnapshot().context.error?.code).toBe('fingerprint-mismatch');
    expect(server.calls.slice(callsBefore)).toEqual([]);
    expect(other.uploader.attempts).toEqual([]);

    // Cancelling the refused attempt leaves the real upload as it was: on the server and resumable here.
    other.actor.send({ type: 'ABORT' });
    await until(other, () => other.status() === 'aborted');
    await settled();
    expect(server.calls.slice(callsBefore)).toEqual([]);
    expect((await checkpoints.list()).map((saved) => saved.uploadId)).toEqual([checkpoint?.uploadId]);
  });

  it('aborting a resume that failed before the store answered aborts the upload its checkpoint names', async () => {
    const { clock, server, checkpoints, checkpoint } = await interruptedAfterTwoParts();
    const listParts = server.listParts.bind(server);
    server.listParts = async () => {
      server.calls.push('list');
      throw new TesseraError('forbidden', 'not yours', { status: 403 });
    };
    const second = rig({ server, clock, checkpoints, checkpoint });
    second.actor.send({ type: 'START' });
    await until(second, () => second.status() === 'failed');
    server.listParts = listParts;
    second.actor.send({ type: 'ABORT' });
    await until(second, () => second.status() === 'aborted');
    await settled();
    expect(server.aborted).toBe(true);
    expect(await checkpoints.list()).toEqual([]);
  });

  it('uploads a growing source while it grows, then the short last part when it ends', async () => {
    const source = new FakeGrowingSource();
    const r = rig({ source });
    source.push(bytes(7, 1));
    r.actor.send({ type: 'START' });
    await settled();
    expect(r.server.calls).toContain('create');
    expect(r.uploader.attempts).toEqual([]); // not a full part yet
    source.push(bytes(18, 2)); // 25 bytes: parts 1 and 2 are full
    await until(r, () => r.part(2).status === 'done');
    expect(r.part(3).status).toBe('unplanned');
    expect(r.status()).toBe('uploading');
    source.push(bytes(6, 3)); // 31 bytes
    source.end();
    await until(r, () => r.status() === 'completed');
    expect(r.uploader.attempts.sort()).toEqual([1, 2, 3, 4]);
    expect(Buffer.concat([1, 2, 3, 4].map((n) => r.server.stored.get(n)?.bytes ?? new Uint8Array()))).toEqual(
      Buffer.from(source.bytes()),
    );
    expect(r.server.stored.get(4)?.size).toBe(1);
    expect(r.actor.getSnapshot().context.result?.size).toBe(31);
    expect(r.actor.getSnapshot().context.result?.sha256).toBe(sha256Base64(source.bytes()));
  });

  it('goes offline when requests keep failing although the browser says online, and back when a probe answers', async () => {
    const down = { kind: 'network' as const };
    const r = rig({ script: { 1: [down, down], 2: [down, down] } });
    r.actor.send({ type: 'START' });
    await until(r, () => r.part(1).attempt === 1 && r.part(2).attempt === 1);
    r.timers.increment(1_000); // both retry, and fail again: four network failures in a row
    await until(r, () => r.status() === 'offline');
    expect(r.network.isOnline()).toBe(true);
    const listsBefore = r.server.calls.filter((call) => call === 'list').length;
    r.timers.increment(3_000); // the probe (ListParts through the server) answers
    await until(r, () => r.status() === 'completed');
    expect(r.server.calls.filter((call) => call === 'list').length).toBe(listsBefore + 1);
  });
});
