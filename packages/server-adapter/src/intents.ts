import type { S3Gateway, StoredRecord } from './types.js';

/**
 * How handler instances that share nothing but the store keep complete and abort of one upload apart, and
 * make sure `onComplete` is not lost.
 *
 * Exclusion: each complete or abort writes a record of its own (`<id>.complete.<nonce>`,
 * `<id>.abort.<nonce>`) and then lists the records of the other kind. Listings show every write that came
 * before them (S3 has been strongly consistent, LIST included, since 2020; a single-node Swift updates its
 * listing before a PUT returns), so of two racing operations the one that writes second sees the other's
 * record and stands back: they can never both go ahead (both may stand back; each answers `upload-busy`,
 * retryable). A request deletes only its own record, when it is done: deleting another's could expose that
 * request while it is still working. Plain PUT, LIST and DELETE suffice, so it works on stores without
 * conditional writes (Swift's s3api refuses `If-None-Match` on PUT).
 *
 * Delivery: one shared record, `<id>.delivery`, exists while `onComplete` has not been confirmed. Every
 * complete writes it (naming itself as the claimant) before the store assembles the object, and it is
 * deleted only after a hook run returned; a complete that finds the object assembled and this record
 * still there runs the hook (see deliverCompletion.ts).
 *
 * Records of crashed requests expire: an exclusion record older than {@link INTENT_LIFETIME_MS} is
 * ignored, and `abortStaleUploads` removes it.
 */

/**
 * Age after which an exclusion record is taken for one a crashed request left behind: longer than any store
 * takes to assemble an object (S3 documents "several minutes" for the largest).
 */
export const INTENT_LIFETIME_MS = 15 * 60 * 1000;

/** Where intent records live unless the handler is told otherwise. */
export const DEFAULT_INTENT_PREFIX = '.tessera/intents/';

/** Metadata entry (`x-amz-meta-tessera-upload`) that marks an object as the work of one upload. */
export const OBJECT_ID_METADATA = 'tessera-upload';

export type IntentKind = 'complete' | 'abort';

/** What the delivery record holds: who is running `onComplete`, and what it will be told. */
export interface CompletionIntent<Event> {
  /** Random id of the request that runs `onComplete` now; `''` after that request's hook failed. */
  claimant: string;
  event: Event;
}

/** One upload's intent records. */
export interface UploadIntents<Event> {
  /** Record that this request's `kind` is under way; the returned function deletes that record. */
  begin(kind: IntentKind): Promise<() => Promise<void>>;
  /** Whether a request of `kind` is under way: one of its records is younger than {@link INTENT_LIFETIME_MS}. */
  underWay(kind: IntentKind): Promise<boolean>;
  writeDelivery(intent: CompletionIntent<Event>): Promise<void>;
  /** The delivery record and its age, or `null` once the hook was confirmed (or never pending). */
  readDelivery(): Promise<{ intent: CompletionIntent<Event>; ageMs: number } | null>;
  deleteDelivery(): Promise<void>;
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
 * const end = await intents.begin('abort');
 * try { if (!(await intents.underWay('complete'))) await gateway.abortMultipartUpload({ key, uploadId }); }
 * finally { await end(); }
 * ```
 */
export async function uploadIntents<Event>(
  gateway: S3Gateway,
  prefix: string,
  upload: { key: string; uploadId: string },
  now: () => number,
): Promise<UploadIntents<Event>> {
  const id = `${prefix}${await recordId(upload)}`;
  const deliveryKey = `${id}.delivery`;
  const age = (record: Pick<StoredRecord, 'lastModified'>) => now() - record.lastModified.getTime();
  const body = (value: object) => JSON.stringify({ v: 1, key: upload.key, uploadId: upload.uploadId, ...value });

  return {
    async begin(kind) {
      const key = `${id}.${kind}.${crypto.randomUUID()}`;
      await gateway.putRecord({ key, body: body({ kind }) });
      return () => gateway.deleteRecord({ key });
    },
    async underWay(kind) {
      const records = await gateway.listRecords({ prefix: `${id}.${kind}.` });
      return records.some((record) => age(record) < INTENT_LIFETIME_MS);
    },
    writeDelivery: (intent) => gateway.putRecord({ key: deliveryKey, body: body(intent) }),
    async readDelivery() {
      const record = await gateway.getRecord({ key: deliveryKey });
      if (record === null) return null;
      const intent = JSON.parse(record.body) as CompletionIntent<Event>;
      return { intent: { claimant: intent.claimant, event: intent.event }, ageMs: age(record) };
    },
    deleteDelivery: () => gateway.deleteRecord({ key: deliveryKey }),
  };
}
