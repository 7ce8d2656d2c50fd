import { describe, expect, it } from 'vitest';
import { codeOf } from '../test/codeOf.js';
import { createMemoryGateway } from '../test/memoryGateway.js';
import type { HandlerContext } from './context.js';
import { DELIVERY_WAIT_MS, deliverCompletion } from './deliverCompletion.js';
import { uploadIntents } from './intents.js';
import type { CompletedUpload } from './types.js';

const event: CompletedUpload = {
  uploadId: 'u1',
  key: 'uploads/ada/o1/a.webm',
  size: 7,
  etag: 'e',
  partCount: 2,
  userId: 'ada',
  contentType: 'video/webm',
  sha256: null,
  replayed: false,
};

/** A clock that only moves when the code under test sleeps (or a test moves it), and the hook it runs. */
async function setup(hook: (event: CompletedUpload) => void | Promise<void> = () => {}) {
  let time = 1_000_000;
  const gateway = createMemoryGateway({ semantics: 'aws', now: () => time });
  const intents = await uploadIntents<CompletedUpload>(gateway, 'i/', event, () => time);
  const calls: CompletedUpload[] = [];
  const reported: unknown[] = [];
  const slept: number[] = [];
  const context = {
    now: () => time,
    sleep: async (ms: number) => {
      slept.push(ms);
      time += ms;
    },
    onComplete: async (delivered: CompletedUpload) => {
      calls.push(delivered);
      await hook(delivered);
    },
    report: (error: unknown) => reported.push(error),
  } as unknown as HandlerContext;
  return { gateway, intents, context, calls, reported, slept, advance: (ms: number) => (time += ms) };
}

describe('deliverCompletion', () => {
  it('runs nothing when no delivery record is left: an earlier run was confirmed', async () => {
    const { intents, context, calls } = await setup();
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(calls).toEqual([]);
  });

  it('runs the hook for its own claim, then deletes the record', async () => {
    const { intents, context, calls, gateway } = await setup();
    await intents.writeDelivery({ claimant: 'me', event });
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(calls).toEqual([event]);
    expect(gateway.recordKeys()).toEqual([]);
  });

  it('answers hook-failed (retryable) when the hook throws, and releases the claim for the next request', async () => {
    const { intents, context, calls } = await setup(() => {
      throw new Error('database down');
    });
    await intents.writeDelivery({ claimant: 'me', event });
    const failure = await deliverCompletion(context, intents, { claimant: 'me', event }).catch((error: unknown) => error);
    expect(await codeOf(Promise.reject(failure))).toBe('hook-failed');
    expect((failure as { retryable: boolean }).retryable).toBe(true);
    expect(calls).toHaveLength(1);
    expect((await intents.readDelivery())?.intent.claimant).toBe('');
  });

  it('takes a released claim over at once and runs the hook', async () => {
    const { intents, context, calls, slept } = await setup();
    await intents.writeDelivery({ claimant: '', event });
    await deliverCompletion(context, intents, { claimant: 'me', event: { ...event, replayed: true } });
    expect(calls).toEqual([{ ...event, replayed: true }]);
    expect(slept).toEqual([]);
    expect(await intents.readDelivery()).toBeNull();
  });

  it('waits for another request delivering, and runs nothing when that one finishes', async () => {
    const { intents, context, calls, slept } = await setup();
    await intents.writeDelivery({ claimant: 'other', event });
    let polls = 0;
    const original = intents.readDelivery;
    intents.readDelivery = async () => {
      // The other request's hook returns after three polls.
      if (++polls === 4) await intents.deleteDelivery();
      return original();
    };
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(calls).toEqual([]);
    expect(slept).toEqual([200, 200, 200]);
  });

  it(`takes a claim over that has not finished within ${DELIVERY_WAIT_MS} ms`, async () => {
    const { intents, context, calls, slept } = await setup();
    await intents.writeDelivery({ claimant: 'crashed', event });
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(calls).toEqual([event]);
    expect(slept.reduce((sum, ms) => sum + ms, 0)).toBe(DELIVERY_WAIT_MS);
  });

  it('takes a stale claim over without waiting', async () => {
    const { intents, context, calls, slept, advance } = await setup();
    await intents.writeDelivery({ claimant: 'crashed', event });
    advance(DELIVERY_WAIT_MS);
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(calls).toEqual([event]);
    expect(slept).toEqual([]);
  });

  it('renews its own claim once when it is old (a slow assembly), even if the store clock lags', async () => {
    const { intents, context, calls, gateway, advance } = await setup();
    await intents.writeDelivery({ claimant: 'me', event });
    advance(DELIVERY_WAIT_MS);
    // Every record written from now on looks old: a store whose clock is a minute behind the handler's.
    const put = gateway.putRecord.bind(gateway);
    let writes = 0;
    gateway.putRecord = async (input) => {
      writes++;
      await put(input);
      advance(0);
    };
    const realGet = gateway.getRecord.bind(gateway);
    gateway.getRecord = async (input) => {
      const record = await realGet(input);
      return record && { ...record, lastModified: new Date(record.lastModified.getTime() - 60_000) };
    };
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(writes).toBe(1);
    expect(calls).toEqual([event]);
  });

  it('reports, and still succeeds, when the record cannot be deleted after the hook ran', async () => {
    const { intents, context, calls, reported, gateway } = await setup();
    await intents.writeDelivery({ claimant: 'me', event });
    gateway.deleteRecord = async () => {
      throw new Error('store hiccup');
    };
    await deliverCompletion(context, intents, { claimant: 'me', event });
    expect(calls).toHaveLength(1);
    expect(reported).toHaveLength(1);
  });
});
