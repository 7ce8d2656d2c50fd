import { isTesseraError } from '@tessera/core';
import { INTENT_LIFETIME_MS } from './intents.js';
import type { S3Gateway } from './types.js';

const EXCLUSION = /\.(complete|abort)\.[0-9a-f-]+$/;

/**
 * Remove intent records nobody will remove (see `intents.ts`): exclusion records older than
 * {@link INTENT_LIFETIME_MS} (their requests crashed), and delivery records older than `olderThanMs` of
 * uploads that are neither open nor completed (a complete was refused, and the upload was then abandoned or
 * aborted elsewhere). A delivery record whose object exists stays: its `onComplete` is unconfirmed, and the
 * next complete of the upload runs it. Only records of uploads whose key starts with `keyPrefix` are judged.
 * Returns how many records were removed.
 */
export async function sweepIntentRecords(
  gateway: S3Gateway,
  options: {
    intentPrefix: string;
    keyPrefix: string | undefined;
    olderThanMs: number;
    now: () => number;
    report: (error: unknown, subject: { key: string; uploadId: string }) => void;
  },
): Promise<number> {
  let removed = 0;
  for (const record of await gateway.listRecords({ prefix: options.intentPrefix })) {
    const age = options.now() - record.lastModified.getTime();
    const exclusion = EXCLUSION.test(record.key);
    if (exclusion ? age < INTENT_LIFETIME_MS : !record.key.endsWith('.delivery') || age < options.olderThanMs) continue;
    const stored = await gateway.getRecord({ key: record.key });
    if (stored === null) continue;
    const subject = JSON.parse(stored.body) as { key: string; uploadId: string };
    if (options.keyPrefix !== undefined && !subject.key.startsWith(options.keyPrefix)) continue;
    try {
      if (!exclusion) {
        if (await gateway.headObject({ key: subject.key })) continue;
        const open = await gateway.listParts(subject).then(
          () => true,
          (error: unknown) => {
            if (isTesseraError(error, 'upload-not-found')) return false;
            throw error;
          },
        );
        if (open) continue;
      }
      await gateway.deleteRecord({ key: record.key });
      removed++;
    } catch (error) {
      options.report(error, subject);
    }
  }
  return removed;
}
