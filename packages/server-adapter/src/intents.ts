import type { S3Gateway, StoredRecord } from './types.js';

/**
 * How handler instances that share nothing but the store keep complete and abort of one upload apart.
 *
 * Each operation writes its intent record first, then reads the other's: complete writes `<id>.complete`
 * and then reads `<id>.abort`; abort writes `<id>.abort` and then reads `<id>.complete`. The store reads
 * its own writes (S3 has been strongly consistent since 2020; a single-node Swift is), so whichever of two
 * racing operations writes second sees the other's record and stands back: they can never both go ahead.
 * Plain PUT, GET and DELETE are all it takes, so it works on stores without conditional writes (Swift's
 * s3api refuses `If-None-Match` on PUT).
 *
 * A completion record also says that the upload's `onComplete` has not been confirmed yet: it is deleted
 * only after the hook returned, so a replayed complete that still finds it runs the hook again. Records
 * of crashed requests expire: a record older than {@link INTENT_LIFETIME_MS} is ignored.
 */

/** Age after which an intent record is taken for one a crashed request left behind. */
export const INTENT_LIFETIME_MS = 60 * 60 * 1000;

/** Where intent records live unless the handler is told otherwise. */
export const DEFAULT_INTENT_PREFIX = '.tessera/intents/';

/** Metadata entry (`x-amz-meta-tessera-upload`) that marks an object as the work of one upload. */
export const OBJECT_ID_METADATA = 'tessera-upload';

/** What a completion record holds: who is delivering `onComplete`, and what it will be told. */
export interface CompletionIntent<Event> {
  /** Random id of the request that runs `onComplete` now; `''` after that request's hook failed. */
  claimant: string;
  event: Event;
}

/** One upload's intent records. */
export interface UploadIntents<Event> {
  writeCompletion(intent: CompletionIntent<Event>): Promise<void>;
  /** The completion record and its age, or `null`. */
  readCompletion(): Promise<{ intent: CompletionIntent<Event>; ageMs: number } | null>;
  deleteCompletion(): Promise<void>;
  writeAbort(): Promise<void>;
  /** Whether an abort that is not older than {@link INTENT_LIFETIME_MS} has written its record. */
  abortUnderWay(): Promise<boolean>;
  deleteAbort(): Promise<void>;
}

const encoder = new TextEncoder();

async function recordId(upload: { key: string; uploadId: string }): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', encoder.encode(`${upload.key}\n${upload.uploadId}`)),
  );
  // Hex of a hash: safe in any store's keys, and spread evenly over S3's key-range partitions.
  return Array.from(digest.subarray(0, 20), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The intent records of the upload `upload`, under `prefix` in the upload's bucket.
 *
 * @example
 * ```ts
 * const intents = await uploadIntents(gateway, DEFAULT_INTENT_PREFIX, { key, uploadId }, Date.now);
 * await intents.writeAbort();
 * ```
 */
export async function uploadIntents<Event>(
  gateway: S3Gateway,
  prefix: string,
  upload: { key: string; uploadId: string },
  now: () => number,
): Promise<UploadIntents<Event>> {
  const id = await recordId(upload);
  const completeKey = `${prefix}${id}.complete`;
  const abortKey = `${prefix}${id}.abort`;
  const age = (record: StoredRecord) => now() - record.lastModified.getTime();
  const body = (value: object) => JSON.stringify({ v: 1, key: upload.key, uploadId: upload.uploadId, ...value });

  return {
    writeCompletion: (intent) => gateway.putRecord({ key: completeKey, body: body(intent) }),
    async readCompletion() {
      const record = await gateway.getRecord({ key: completeKey });
      if (record === null) return null;
      const intent = JSON.parse(record.body) as CompletionIntent<Event>;
      return { intent: { claimant: intent.claimant, event: intent.event }, ageMs: age(record) };
    },
    deleteCompletion: () => gateway.deleteRecord({ key: completeKey }),
    writeAbort: () => gateway.putRecord({ key: abortKey, body: body({ abort: true }) }),
    async abortUnderWay() {
      const record = await gateway.getRecord({ key: abortKey });
      return record !== null && age(record) < INTENT_LIFETIME_MS;
    },
    deleteAbort: () => gateway.deleteRecord({ key: abortKey }),
  };
}
