import { INTENT_LIFETIME_MS, uploadIntents } from './intents.js';
import type { S3Gateway } from './types.js';

/** What {@link abortSafely} did. */
export type AbortOutcome = 'aborted' | 'completing';

/**
 * Abort the multipart upload `upload` unless a complete is assembling it: write the abort's intent
 * record, then read the completion's (see `intents.ts`). A completion record younger than
 * {@link INTENT_LIFETIME_MS} means a complete is under way, or its hook unconfirmed: nothing is
 * aborted (`'completing'`). Otherwise `completed()` is asked once more (a complete may have finished in
 * between; it throws or answers `true` to stop) and the store aborts the upload. The abort's record is
 * removed afterwards, whatever happened.
 */
export async function abortSafely(
  gateway: S3Gateway,
  intentPrefix: string,
  upload: { key: string; uploadId: string },
  now: () => number,
  hooks: { completed: () => Promise<boolean>; report: (error: unknown) => void },
): Promise<AbortOutcome> {
  const intents = await uploadIntents(gateway, intentPrefix, upload, now);
  await intents.writeAbort();
  try {
    const completion = await intents.readCompletion();
    if (completion !== null && completion.ageMs < INTENT_LIFETIME_MS) return 'completing';
    if (await hooks.completed()) return 'completing';
    await gateway.abortMultipartUpload(upload);
    // A record that old was left by a complete that crashed before the store assembled anything.
    if (completion !== null) await intents.deleteCompletion().catch(hooks.report);
    return 'aborted';
  } finally {
    await intents.deleteAbort().catch(hooks.report);
  }
}
