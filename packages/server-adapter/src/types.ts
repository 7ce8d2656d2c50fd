import type { PartChecksumAlgorithm, UploadedPart } from '@tessera/core';

/** Who is uploading, as your `authorize` hook decides. */
export interface UploadIdentity {
  /** Stable id of the user; bound into every upload token. */
  userId: string;
  /** Per-user overrides of the handler's {@link UploadPolicy} (e.g. a larger quota for paying users). */
  policy?: UploadPolicy;
}

/** Limits the server enforces before anything reaches the store. */
export interface UploadPolicy {
  /** Largest file accepted, in bytes. @default 50 GiB */
  maxFileSize?: number;
  /** Smallest file accepted, in bytes. @default 1 */
  minFileSize?: number;
  /**
   * MIME types accepted: exact (`video/webm`), a family (`video/*`) or anything (`*∕*`).
   * @default ['*∕*']
   */
  allowedTypes?: readonly string[];
  /** Whether a growing source (size unknown until it ends, e.g. a recording) may upload. @default true */
  allowUnknownSize?: boolean;
  /** Part size used when the file allows it. @default 8 MiB */
  preferredPartSize?: number;
  /** Smallest non-last part the store accepts (5 MiB on S3; a test store may lower it). @default 5 MiB */
  minPartSize?: number;
  /** Most parts one sign request may ask for. @default 100 */
  maxSignBatch?: number;
}

/**
 * What `onComplete` is told: the object as the store assembled and the handler verified it. `uploadId` is
 * the idempotency key: the hook runs at least once per completed upload, and more than once only when a
 * request could not learn that an earlier run succeeded (a retry after its hook failed, or completes
 * racing each other), so record it with an upsert on `uploadId`.
 */
export interface CompletedUpload {
  uploadId: string;
  key: string;
  /** Object size in bytes, checked against the store. */
  size: number;
  /** The object's ETag without quotes (`<md5 of part md5s>-<part count>`), checked against the parts. */
  etag: string;
  partCount: number;
  userId: string;
  contentType: string;
  /**
   * Whole-file SHA-256 (base64) as the client declared it, or `null`. The client's word: the handler never
   * sees the bytes, so it cannot check it (per-part digests and the ETag are what the store checked).
   */
  sha256: string | null;
  /** Whether an earlier request assembled the object (this one is a retry of a complete whose answer was lost). */
  replayed: boolean;
}

/** What an `objectKey` hook is told. */
export interface ObjectKeyInput {
  userId: string;
  /** The file name as the client sent it (already checked: no path, no control characters). */
  fileName: string;
  contentType: string;
  /** Declared size, or `null` for a growing source. */
  size: number | null;
  /** A fresh random id, handy for unique keys. */
  randomId: string;
}

/** A started multipart upload. */
export interface StartedUpload {
  uploadId: string;
}

/** A presigned request the browser sends as is. */
export interface PresignedRequest {
  url: string;
  headers: Record<string, string>;
}

/** A part as the store reports it. */
export interface StoredPart extends UploadedPart {
  /** Base64 SHA-256 the store verified, for uploads created with `checksumAlgorithm: 'sha256'`. */
  checksumSha256?: string;
}

/** A multipart upload the store still holds open. */
export interface PendingUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/**
 * Everything the handlers need from S3, and the only place that talks to it. `createS3Gateway` implements
 * it with the AWS SDK; a test or another SDK can implement it too. Methods throw a `TesseraError` with
 * code `upload-not-found` when the store does not know the upload.
 */
export interface S3Gateway {
  createMultipartUpload(input: {
    key: string;
    contentType: string;
    metadata: Record<string, string>;
    checksumAlgorithm: PartChecksumAlgorithm;
  }): Promise<StartedUpload>;
  presignUploadPart(input: {
    key: string;
    uploadId: string;
    partNumber: number;
    size: number;
    checksumAlgorithm: PartChecksumAlgorithm;
    checksum: string;
    expiresInSeconds: number;
  }): Promise<PresignedRequest>;
  /** Every part the store holds, all pages, in part order (with its SHA-256 where the store keeps one). */
  listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]>;
  /** Returns the new object's ETag without quotes. */
  completeMultipartUpload(input: {
    key: string;
    uploadId: string;
    parts: ReadonlyArray<{ partNumber: number; etag: string; checksumSha256?: string }>;
  }): Promise<{ etag: string }>;
  abortMultipartUpload(input: { key: string; uploadId: string }): Promise<void>;
  /** The object at `key`, or `null` when there is none. */
  headObject(input: { key: string }): Promise<StoredObject | null>;
  listMultipartUploads(input: { prefix?: string }): AsyncIterable<PendingUpload>;
  /**
   * Write a small JSON record (an upload's completion or cancellation in progress), replacing any record at
   * `key`. Records are how handler instances that share no memory tell each other what they are doing. Of two
   * writes of one key at once either may stand; a store that refuses the older one (Swift: 409) counts as
   * done.
   */
  putRecord(input: { key: string; body: string }): Promise<void>;
  /** The record at `key` with the store's time of its last write, or `null` when there is none. */
  getRecord(input: { key: string }): Promise<StoredRecord | null>;
  /** Delete the record at `key`; deleting a record that does not exist succeeds. */
  deleteRecord(input: { key: string }): Promise<void>;
  /** Every record whose key starts with `prefix`, all pages; the listing must show every earlier write. */
  listRecords(input: { prefix: string }): Promise<Array<{ key: string; lastModified: Date }>>;
}

/** An object as HEAD reports it. */
export interface StoredObject {
  /** ETag without quotes. */
  etag: string;
  size: number;
  /** User metadata (`x-amz-meta-*`), names in lower case without the prefix. */
  metadata: Record<string, string>;
}

/** A record written with {@link S3Gateway.putRecord}. */
export interface StoredRecord {
  body: string;
  lastModified: Date;
}

/** What a token binds; signed with the handler's secret, never stored. */
export interface UploadTokenClaims {
  uploadId: string;
  key: string;
  /**
   * Random id written into the object's metadata at create (`x-amz-meta-tessera-upload`): an object at
   * `key` is this upload's only when it carries this id, so a key reused by an `objectKey` hook is never
   * mistaken for a completed upload.
   */
  objectId: string;
  userId: string;
  size: number | null;
  /** Largest size a growing source (`size: null`) may reach, from the policy at create. */
  maxSize: number;
  /** Smallest size the upload may complete with, from the policy at create. */
  minSize: number;
  partSize: number;
  partCount: number | null;
  contentType: string;
  sha256: string | null;
  checksumAlgorithm: PartChecksumAlgorithm;
  /** Seconds since the epoch. */
  expiresAt: number;
}
