import { describe, expect, it } from 'vitest';
import { TesseraError } from '../errors.js';
import type { Transport } from '../ports.js';
import type { CreateUploadResponse } from '../protocol.js';
import { createReliableTransport, type ServerRetry } from './reliableTransport.js';

const upload = { uploadId: 'u1', token: 't' };
const created = { uploadId: 'u1' } as CreateUploadResponse;

/** A transport whose calls answer, in turn, with `script`'s entries: a value, an error, or 'hang'. */
function scripted(script: Array<unknown>) {
  const signals: AbortSignal[] = [];
  let calls = 0;
  const next = (signal: AbortSignal | undefined) => {
    if (signal) signals.push(signal);
    const step = script[Math.min(calls++, script.length - 1)];
    if (step === 'hang') {
      return new Promise((_, fail) => signal?.addEventListener('abort', () => fail(new TesseraError('aborted', 'stopped'))));
    }
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const transport = {
    create: (_request, signal) => next(signal),
    sign: (_upload, _parts, signal) => next(signal),
    listParts: (_upload, signal) => next(signal),
    complete: (_upload, _request, signal) => next(signal),
    abort: (_upload, signal) => next(signal),
  } as Transport;
  return { transport, signals, calls: () => calls };
}

/** Fake time: sleeps and deadlines move a clock instead of waiting. */
function fakeTime() {
  let time = 0;
  const deadlines: Array<{ at: number; controller: AbortController }> = [];
  const fire = () => {
    for (const entry of deadlines) if (entry.at <= time && !entry.controller.signal.aborted) entry.controller.abort(new DOMException('late', 'TimeoutError'));
  };
  return {
    now: () => time,
    sleep: async (ms: number) => {
      time += ms;
      fire();
    },
    deadline: (ms: number) => {
      const controller = new AbortController();
      deadlines.push({ at: time + ms, controller });
      return controller.signal;
    },
    /** Let `ms` pass while a call hangs. */
    pass: (ms: number) => {
      time += ms;
      fire();
    },
    get time() {
      return time;
    },
  };
}

const down = () => new TesseraError('network-error', 'could not reach the server', { retryable: true });

describe('createReliableTransport', () => {
  it('passes a first answer through, with a deadline on the call', async () => {
    const { transport, signals } = scripted([created]);
    const time = fakeTime();
    const reliable = createReliableTransport(transport, { ...time });
    await expect(reliable.create({ fileName: 'a', contentType: '' })).resolves.toBe(created);
    expect(signals).toHaveLength(1);
  });

  it('retries retryable failures with backoff until the call succeeds, and says so', async () => {
    const { transport, calls } = scripted([down(), down(), new TesseraError('store-error', '502', { retryable: true }), created]);
    const time = fakeTime();
    const retries: ServerRetry[] = [];
    const reliable = createReliableTransport(transport, { ...time, random: () => 0.5, onRetry: (retry) => retries.push(retry) });
    await expect(reliable.create({ fileName: 'a', contentType: '' })).resolves.toBe(created);
    expect(calls()).toBe(4);
    expect(retries.map(({ call, attempt, delayMs }) => [call, attempt, delayMs])).toEqual([
      ['create', 0, 250],
      ['create', 1, 500],
      ['create', 2, 1000],
    ]);
    expect(time.time).toBe(1750);
  });

  it('fails at once on a refusal, with the server typed error', async () => {
    const refusal = new TesseraError('token-expired', 'expired', { status: 403 });
    const { transport, calls } = scripted([refusal, created]);
    const reliable = createReliableTransport(transport, fakeTime());
    await expect(reliable.sign(upload, [])).rejects.toBe(refusal);
    expect(calls()).toBe(1);
  });

  it('honours Retry-After', async () => {
    const busy = new TesseraError('store-error', '429', { retryable: true, status: 429, retryAfterMs: 7_000 });
    const { transport } = scripted([busy, { parts: [] }]);
    const time = fakeTime();
    const reliable = createReliableTransport(transport, { ...time, random: () => 0.5 });
    await reliable.listParts(upload);
    expect(time.time).toBe(7_000);
  });

  it('abandons an attempt that passes its deadline and tries again: a hung server never hangs the upload', async () => {
    const { transport, calls } = scripted(['hang', 'hang', { key: 'k' }]);
    const time = fakeTime();
    const reliable = createReliableTransport(transport, { ...time, random: () => 0, timeouts: { complete: 5_000 } });
    const answer = reliable.complete(upload, { parts: [] });
    for (let step = 0; step < 2; step++) {
      await Promise.resolve();
      await new Promise((done) => setTimeout(done, 0));
      time.pass(5_000);
    }
    await expect(answer).resolves.toEqual({ key: 'k' });
    expect(calls()).toBe(3);
  });

  it('gives up after giveUpAfterMs with the last failure', async () => {
    const { transport, calls } = scripted([down()]);
    const time = fakeTime();
    const reliable = createReliableTransport(transport, { ...time, random: () => 1, retry: { giveUpAfterMs: 60_000 } });
    await expect(reliable.abort(upload)).rejects.toMatchObject({ code: 'network-error' });
    // 0.5 + 1 + 2 + 4 + 8 + 16 + 30 = 61.5 s > 60 s: seven attempts waited 31.5 s in all, the eighth is not made.
    expect(calls()).toBe(7);
    expect(time.time).toBe(31_500);
  });

  it('stops at once when the caller aborts, while waiting to retry or during an attempt', async () => {
    const { transport } = scripted([down(), 'hang']);
    const controller = new AbortController();
    const reliable = createReliableTransport(transport, {
      deadline: () => new AbortController().signal,
      sleep: async () => {},
    });
    const answer = reliable.sign(upload, [], controller.signal);
    await new Promise((done) => setTimeout(done, 0));
    controller.abort();
    await expect(answer).rejects.toMatchObject({ code: 'aborted' });
  });
});
