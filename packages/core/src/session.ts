import type { RetryOptions } from './logic/backoff.js';
import type { CheckpointPart } from './logic/checkpoint.js';
import type { FileFingerprint } from './logic/fingerprint.js';
import type { CheckpointStore, Clock, Hasher, NetworkStatus, PartUploader, Transport } from './ports.js';
import type { CreateUploadResponse, PartChecksumAlgorithm, SignedPart } from './protocol.js';

/** The bytes being uploaded. A `File` or `Blob` today; growing sources (recordings) implement the same. */
export interface UploadSource {
  readonly name: string;
  readonly type: string;
  /** Total size in bytes. */
  readonly size: number;
  /** `lastModified` of a `File`, else 0. */
  readonly lastModified: number;
  /** Bytes `[start, end)` as a `Blob` slice (no copy). */
  slice(start: number, end: number): Promise<Blob>;
}

/** Everything a session needs from outside; wired with browser defaults by `createUpload`. */
export interface SessionDeps {
  endpoint: string;
  transport: Transport;
  uploader: PartUploader;
  hasher: Hasher;
  checkpoints: CheckpointStore;
  network: NetworkStatus;
  clock: Clock;
  random: () => number;
  concurrency: number;
  retry: RetryOptions;
  timeoutMs: number;
  stallTimeoutMs: number;
  expiryMarginMs: number;
}

/** The upload as the server started it. */
export type UploadInfo = Pick<
  CreateUploadResponse,
  'uploadId' | 'key' | 'token' | 'partSize' | 'partCount' | 'size' | 'checksumAlgorithm' | 'maxSignBatch'
> & { tokenExpiresAt: number };

/** Where a part is in its life. */
export type PartStatus = 'queued' | 'hashing' | 'signing' | 'ready' | 'uploading' | 'retrying' | 'done';

/** What the session knows about one part. */
export interface PartRecord {
  partNumber: number;
  size: number;
  status: PartStatus;
  checksum: string | null;
  md5Hex: string | null;
  etag: string | null;
  signed: SignedPart | null;
  attempt: number;
  /** Why the last attempt failed, while retrying. */
  reason: string | null;
}

/** What preparing (create or resume) hands to the upload phase. */
export interface PreparedUpload {
  upload: UploadInfo;
  fingerprint: FileFingerprint;
  parts: PartRecord[];
  hashState: string | null;
  hashedThrough: number;
  createdAt: number;
}

export function partSizeOf(upload: Pick<UploadInfo, 'partSize' | 'size'>, partNumber: number): number {
  const start = (partNumber - 1) * upload.partSize;
  return Math.max(0, Math.min(upload.partSize, (upload.size ?? 0) - start));
}

export function newPart(partNumber: number, size: number, done?: CheckpointPart): PartRecord {
  return {
    partNumber,
    size,
    status: done ? 'done' : 'queued',
    checksum: done?.checksum ?? null,
    md5Hex: null,
    etag: done?.etag ?? null,
    signed: null,
    attempt: 0,
    reason: null,
  };
}

export type { PartChecksumAlgorithm };
