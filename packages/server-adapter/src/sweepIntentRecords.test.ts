import { describe, expect, it } from 'vitest';
import { createMemoryGateway } from '../test/memoryGateway.js';
import { INTENT_LIFETIME_MS, uploadIntents } from './intents.js';
import { sweepIntentRecords } from './sweepIntentRecords.js';

const DAY = 24 * 3600 * 1000;

describe('sweepIntentRecords', () => {
  it('removes what nobody else will, and keeps every record that still means something', async () => {
    let time = 10 * DAY;
    const gateway = createMemoryGateway({ semantics: 'aws', now: () => time });
    const upload = async (key: string) => {
      const { uploadId } = await gateway.createMultipartUpload({ key, contentType: 'x/y', metadata: {}, checksumAlgorithm: 'md5' });
      return { key, uploadId, intents: await uploadIntents(gateway, 'i/', { key, uploadId }, () => time) };
    };
    const open = await upload('a/open');
    const completed = await upload('a/completed');
    const gone = await upload('a/gone');
    const elsewhere = await upload('b/gone');
    const crashed = await upload('a/crashed');
    const young = await upload('a/young');
    const event = { claimant: '', event: {} };
    // Written two days ago: delivery records of every kind of upload, and a crashed complete's record.
    time -= 2 * DAY;
    for (const each of [open, completed, gone, elsewhere]) await each.intents.writeDelivery(event);
    await crashed.intents.begin('complete');
    time += 2 * DAY;
    await young.intents.writeDelivery(event);
    await young.intents.begin('abort');
    const etag = await gateway.putPart(completed.uploadId, 1, 'abc');
    await gateway.completeMultipartUpload({ key: completed.key, uploadId: completed.uploadId, parts: [{ partNumber: 1, etag }] });
    for (const each of [gone, elsewhere]) await gateway.abortMultipartUpload(each);
    const before = gateway.recordKeys().length;

    const reported: unknown[] = [];
    const removed = await sweepIntentRecords(gateway, {
      intentPrefix: 'i/',
      keyPrefix: 'a/',
      olderThanMs: DAY,
      now: () => time,
      report: (error) => reported.push(error),
    });
    expect(removed).toBe(2);
    expect(gateway.recordKeys()).toHaveLength(before - 2);
    expect(reported).toEqual([]);
    // Gone: the crashed complete's record, and the delivery record of the upload that is neither open nor stored.
    expect(await crashed.intents.underWay('complete')).toBe(false);
    expect(await gone.intents.readDelivery()).toBeNull();
    // Kept: an open upload may still complete; a stored one's hook is unconfirmed; young records; other prefixes.
    for (const kept of [open, completed, elsewhere, young]) expect(await kept.intents.readDelivery()).not.toBeNull();
    expect(await young.intents.underWay('abort')).toBe(true);
  });

  it('keeps an exclusion record until it is older than the intent lifetime', async () => {
    let time = DAY;
    const gateway = createMemoryGateway({ semantics: 'aws', now: () => time });
    const intents = await uploadIntents(gateway, 'i/', { key: 'a/k', uploadId: 'u' }, () => time);
    await intents.begin('complete');
    const sweep = () =>
      sweepIntentRecords(gateway, { intentPrefix: 'i/', keyPrefix: undefined, olderThanMs: 0, now: () => time, report: () => {} });
    time += INTENT_LIFETIME_MS - 1;
    expect(await sweep()).toBe(0);
    time += 1;
    expect(await sweep()).toBe(1);
  });
});
