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
  headObject(input: { key: string }): Promise<{ etag: string; size: number } | null>;
  listMultipartUploads(input: { prefix?: string }): AsyncIterable<PendingUpload>;
}

/** What a token binds; signed with the handler's secret, never stored. */
export interface UploadTokenClaims {
  uploadId: string;
  key: string;
  userId: string;
  size: number | null;
  partSize: number;
  partCount: number | null;
  contentType: string;
  sha256: string | null;
  checksumAlgorithm: PartChecksumAlgorithm;
  /** Seconds since the epoch. */
  expiresAt: number;
}
