import { uploadIntents } from './intents.js';
import type { S3Gateway } from './types.js';

/** What {@link abortSafely} did. */
export type AbortOutcome = 'aborted' | 'completing';

/**
 * Abort the multipart upload `upload` unless a complete is assembling it: record this abort, then look
 * for completes under way (see `intents.ts`). If there is one, nothing is aborted (`'completing'`).
 * Otherwise `completed()` is asked (a complete may have finished before this abort was recorded; it throws
 * or answers `true` to stop) and the store aborts the upload, and the upload's delivery record goes too.
 * This abort's record is removed afterwards, whatever happened.
 */
export async function abortSafely(
  gateway: S3Gateway,
  intentPrefix: string,
  upload: { key: string; uploadId: string },
  now: () => number,
  hooks: { completed: () => Promise<boolean>; report: (error: unknown) => void },
): Promise<AbortOutcome> {
  const intents = await uploadIntents(gateway, intentPrefix, upload, now);
  const end = await intents.begin('abort');
  try {
    if (await intents.underWay('complete')) return 'completing';
    if (await hooks.completed()) return 'completing';
    await gateway.abortMultipartUpload(upload);
    // No complete can succeed now, so no hook will ever be owed: a delivery record a refused complete left goes.
    await intents.deleteDelivery().catch(hooks.report);
    return 'aborted';
  } finally {
    await end().catch(hooks.report);
  }
}
