import { isTesseraError } from '@tessera/core';
import { abortSafely } from './abortSafely.js';
import { DEFAULT_INTENT_PREFIX } from './intents.js';
import { createS3Gateway, type S3ClientConfig } from './s3/s3Gateway.js';
import { sweepIntentRecords } from './sweepIntentRecords.js';
import type { PendingUpload, S3Gateway } from './types.js';

/** Options of {@link abortStaleUploads}. */
export interface AbortStaleUploadsOptions {
  /** Abort uploads started longer ago than this many milliseconds. */
  olderThanMs: number;
  /** Only uploads whose key starts with this. */
  prefix?: string;
  /** The store, as for `createUploadHandler`. */
  s3?: S3ClientConfig;
  bucket?: string;
  gateway?: S3Gateway;
  /** List what would be aborted without aborting it. @default false */
  dryRun?: boolean;
  /** The handler's `intentPrefix`, if it was changed. @default '.tessera/intents/' */
  intentPrefix?: string;
  /** Told about an upload (or its records) that could not be cleaned up; the sweep goes on with the others. */
  onError?: (error: unknown, upload: { key: string; uploadId: string }) => void;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Abort multipart uploads that were started but never completed, so their parts stop costing storage.
 * Prefer a bucket lifecycle rule (AbortIncompleteMultipartUpload) where the store supports one; run this
 * on a schedule where it does not. It aborts the way the handler does, so an upload a complete is
 * assembling at that moment is left alone, and then removes the intent records nobody else will (those of
 * requests that crashed, and of refused completes of uploads since gone). Returns the uploads aborted (or,
 * with `dryRun`, found; a dry run removes nothing).
 *
 * @example
 * ```ts
 * const aborted = await abortStaleUploads({ s3, bucket: 'uploads', olderThanMs: 7 * 24 * 3600 * 1000 });
 * ```
 */
export async function abortStaleUploads(options: AbortStaleUploadsOptions): Promise<PendingUpload[]> {
  if (!options.gateway && !(options.s3 && options.bucket)) {
    throw new TypeError('abortStaleUploads needs `gateway`, or `s3` and `bucket`');
  }
  const gateway = options.gateway ?? createS3Gateway(options.s3 as S3ClientConfig, options.bucket as string);
  const cutoff = (options.now ?? Date.now)() - options.olderThanMs;
  const stale: PendingUpload[] = [];
  for await (const upload of gateway.listMultipartUploads({ prefix: options.prefix })) {
    if (upload.initiated.getTime() < cutoff) stale.push(upload);
  }
  if (options.dryRun) return stale;
  const now = options.now ?? Date.now;
  const prefix = options.intentPrefix ?? DEFAULT_INTENT_PREFIX;
  const aborted: PendingUpload[] = [];
  for (const upload of stale) {
    const report = (error: unknown) => options.onError?.(error, upload);
    try {
      const outcome = await abortSafely(gateway, prefix, upload, now, { completed: async () => false, report });
      if (outcome === 'aborted') aborted.push(upload);
    } catch (error) {
      // Gone since it was listed (completed or aborted meanwhile): nothing left to do.
      if (!isTesseraError(error, 'upload-not-found')) report(error);
    }
  }
  await sweepIntentRecords(gateway, {
    intentPrefix: prefix,
    keyPrefix: options.prefix,
    olderThanMs: options.olderThanMs,
    now,
    report: (error, upload) => options.onError?.(error, upload),
  });
  return aborted;
}
