/**
 * A failed sign request, on both layers that retry it: the upload machine's own sign retry (`signRetryable`,
 * backed off on the machine clock) over a fake transport, and the reliable transport the engine wraps the
 * default one in, stacked on it as `createUpload` does.
 */
import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { createHashWasmHasher } from '../src/adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../src/adapters/memoryCheckpointStore.js';
import { createReliableTransport, type ServerRetry } from '../src/adapters/reliableTransport.js';
import { blobSource } from '../src/blobSource.js';
import { TesseraError } from '../src/errors.js';
import { uploadMachine } from '../src/machines/uploadMachine.js';
import type { Transport } from '../src/ports.js';
import type { SessionDeps } from '../src/session.js';
import { toUploadSnapshot } from '../src/snapshot.js';
import { bytes, FakeNetwork, FakeServer, ManualClock, ScriptedUploader } from './fakes.js';

const PART = 10;
const DATA = bytes(35); // 4 parts
const RETRY = { baseMs: 100, capMs: 1_000, maxAttempts: 4 };

/** An upload machine over `transport` (the fake server by default), its delays on a simulated clock. */
function rig(server: FakeServer, transport: Transport = server) {
  const timers = new SimulatedClock();
  const deps: SessionDeps = {
    endpoint: '/api/uploads',
    transport,
    uploader: new ScriptedUploader(server),
    hasher: createHashWasmHasher(),
    checkpoints: createMemoryCheckpointStore(),
    network: new FakeNetwork(),
    clock: server.clock,
    random: () => 0.5,
    concurrency: 2,
    retry: RETRY,
    timeoutMs: 10_000,
    stallTimeoutMs: 5_000,
    expiryMarginMs: 1_000,
    probeIntervalMs: 3_000,
  };
  const actor = createActor(uploadMachine, {
    input: { id: 'local-1', deps, source: blobSource(new Blob([DATA]), 'clip.bin'), checkpoint: null },
    clock: timers,
  });
  actor.start();
  const status = () => toUploadSnapshot(actor.getSnapshot(), server.clock.now()).status;
  const signCalls = () => server.calls.filter((call) => call.startsWith('sign'));
  const until = (predicate: () => boolean) => waitFor(actor, predicate, { timeout: 2_000 });
  return { actor, timers, status, signCalls, until };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Answers a network failure (a reset connection, as the fetch transport reports it) to the next `count` signs. */
function resettingSign(server: FakeServer, count: number): Transport {
  let left = count;
  return {
    create: (request) => server.create(request),
    sign(upload, parts, signal) {
      if (left-- > 0) {
        server.calls.push(`sign ${parts.map((part) => part.partNumber).join(',')} (reset)`);
        return Promise.reject(new TesseraError('network-error', 'the connection was reset', { retryable: true }));
      }
      return server.sign(upload, parts, signal);
    },
    listParts: () => server.listParts(),
    complete: (upload, request) => server.complete(upload, request),
    abort: () => server.abort(),
  };
}

describe('the upload machine retries a failed sign request', () => {
  it('after a 503, backed off on the machine clock (100 ms, then 200 ms), signs the same parts again and completes', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.signFailures = 2;
    const r = rig(server);
    r.actor.send({ type: 'START' });
    await r.until(() => r.signCalls().length === 1);
    await settled();
    const first = r.signCalls()[0] as string;
    expect(r.status()).toBe('uploading');
    // random() = 0.5 and base 100 ms: the first wait is 0.5 × 200 ms, the second 0.5 × 400 ms.
    r.timers.increment(99);
    await settled();
    expect(r.signCalls()).toHaveLength(1);
    r.timers.increment(1);
    await r.until(() => r.signCalls().length === 2);
    r.timers.increment(199);
    await settled();
    expect(r.signCalls()).toHaveLength(2);
    r.timers.increment(1);
    await r.until(() => r.status() === 'completed');
    // The parts of the failed request are in the next one (which may carry more, hashed meanwhile).
    const numbers = (call: string) => call.slice('sign '.length).split(',');
    for (const later of r.signCalls().slice(1, 3)) expect(numbers(later)).toEqual(expect.arrayContaining(numbers(first)));
    expect([...server.stored.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(Buffer.concat([1, 2, 3, 4].map((n) => server.stored.get(n)?.bytes ?? new Uint8Array()))).toEqual(
      Buffer.from(DATA),
    );
  });

  it('after a reset connection (a network error), and completes', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    const r = rig(server, resettingSign(server, 1));
    r.actor.send({ type: 'START' });
    await r.until(() => r.signCalls().length === 1);
    r.timers.increment(100);
    await r.until(() => r.status() === 'completed');
    expect(r.signCalls()[0]).toMatch(/\(reset\)$/);
    expect(r.signCalls().slice(1).every((call) => !call.endsWith('(reset)'))).toBe(true);
    expect([...server.stored.keys()].sort()).toEqual([1, 2, 3, 4]);
  });

  it('sends no sign request while paused during its backoff; resumed, it signs and completes', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.signFailures = 1;
    const r = rig(server);
    r.actor.send({ type: 'START' });
    await r.until(() => r.signCalls().length === 1);
    await settled();
    r.actor.send({ type: 'PAUSE' });
    r.timers.increment(60_000);
    await settled();
    expect(r.signCalls()).toHaveLength(1);
    r.actor.send({ type: 'RESUME' });
    await r.until(() => r.status() === 'completed');
    expect(r.signCalls().length).toBeGreaterThanOrEqual(2);
  });

  it('fails at once with the typed error on a refusal, without retrying', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.sign = async () => {
      server.calls.push('sign');
      throw new TesseraError('token-expired', 'the upload token has expired', { status: 401 });
    };
    const r = rig(server);
    r.actor.send({ type: 'START' });
    await r.until(() => r.status() === 'failed');
    r.timers.increment(60_000);
    await settled();
    expect(r.signCalls()).toEqual(['sign']);
    expect(r.actor.getSnapshot().context.error).toMatchObject({ code: 'token-expired', retryable: false });
  });

  it('gives up once the failures in a row pass retry.maxAttempts, with the last error; retry() continues', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.signFailures = 100;
    const r = rig(server);
    r.actor.send({ type: 'START' });
    while (r.status() !== 'failed') {
      await settled();
      r.timers.increment(RETRY.capMs);
    }
    const attempts = r.signCalls().length;
    // Each failure before the limit is retried: maxAttempts retries, so maxAttempts + 1 requests in all.
    expect(attempts).toBe(RETRY.maxAttempts + 1);
    expect(r.actor.getSnapshot().context.error).toMatchObject({ code: 'store-error', retryable: true, status: 503 });
    r.timers.increment(60_000);
    await settled();
    expect(r.signCalls()).toHaveLength(attempts);
    server.signFailures = 0;
    r.actor.send({ type: 'RETRY' });
    await r.until(() => r.status() === 'completed');
    expect([...server.stored.keys()].sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('a failed sign request through the reliable transport', () => {
  /** The reliable transport over `inner`, waiting no real time, telling `retries` about each retry. */
  const reliable = (inner: Transport, retries: ServerRetry[], maxAttempts: number) =>
    createReliableTransport(inner, {
      random: () => 0.5,
      sleep: async () => undefined,
      deadline: () => new AbortController().signal,
      retry: { maxAttempts },
      onRetry: (retry) => retries.push(retry),
    });

  it('is retried by the transport: the machine never sees it', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.signFailures = 2;
    const retries: ServerRetry[] = [];
    const r = rig(server, reliable(resettingSign(server, 1), retries, 10));
    r.actor.send({ type: 'START' });
    await r.until(() => r.status() === 'completed');
    expect(retries.map(({ call, attempt, error }) => [call, attempt, error.code])).toEqual([
      ['sign', 0, 'network-error'],
      ['sign', 1, 'store-error'],
      ['sign', 2, 'store-error'],
    ]);
    expect(r.actor.getSnapshot().context.signFailures).toBe(0);
    expect([...server.stored.keys()].sort()).toEqual([1, 2, 3, 4]);
  });

  it('once the transport gives up, the machine retries the call again and the upload completes', async () => {
    const server = new FakeServer(new ManualClock(), PART);
    server.signFailures = 3;
    const retries: ServerRetry[] = [];
    // Two attempts per call in the transport: the third failure in a row reaches the machine.
    const r = rig(server, reliable(server, retries, 2));
    r.actor.send({ type: 'START' });
    await r.until(() => r.signCalls().length === 2);
    await settled();
    expect(r.status()).toBe('uploading');
    expect(r.actor.getSnapshot().context.signFailures).toBe(1);
    r.timers.increment(100);
    await r.until(() => r.status() === 'completed');
    expect(retries.filter((retry) => retry.call === 'sign')).toHaveLength(2);
    expect([...server.stored.keys()].sort()).toEqual([1, 2, 3, 4]);
  });
});
