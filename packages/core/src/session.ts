import type { RetryOptions } from './logic/backoff.js';
import type { Checkpoint, CheckpointPart } from './logic/checkpoint.js';
import type { FileFingerprint } from './logic/fingerprint.js';
import type {
  CheckpointStore,
  Clock,
  Hasher,
  NetworkStatus,
  PartUploader,
  Transport,
  UploadLock,
  UploadRef,
} from './ports.js';
import type { SlotPool } from './slotPool.js';
import type { CreateUploadResponse, PartChecksumAlgorithm, SignedPart } from './protocol.js';

/**
 * The bytes being uploaded: a `File`/`Blob` ({@link blobSource}), or a growing source such as a recording
 * ({@link GrowingSource}) whose bytes arrive while the upload runs.
 */
export interface UploadSource {
  readonly name: string;
  readonly type: string;
  /** Bytes available now; the final size once `ended`. */
  readonly size: number;
  /** No more bytes will come (always true for a file). */
  readonly ended: boolean;
  /** `lastModified` of a `File`, else 0. */
  readonly lastModified: number;
  /** Bytes `[start, end)` as a `Blob` (a slice: no copy into memory). */
  slice(start: number, end: number): Promise<Blob>;
  /** Growing sources: called whenever `size` or `ended` changes. Returns an unsubscribe function. */
  subscribe?(listener: () => void): () => void;
}

/** A source whose bytes arrive over time, persisted as they arrive so a crashed tab loses none of them. */
export interface GrowingSource extends UploadSource {
  subscribe(listener: () => void): () => void;
  /** Stable id of the persisted recording: the upload's local id, so it can be reopened after a reload. */
  readonly id: string;
  /** Forget the persisted bytes (after the upload completed or was aborted). */
  discard(): Promise<void>;
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
  /** Slots shared with other uploads (a queue's global limit); absent: only `concurrency` applies. */
  slots?: SlotPool;
  retry: RetryOptions;
  timeoutMs: number;
  stallTimeoutMs: number;
  expiryMarginMs: number;
  /** While offline, how often to probe the server. */
  probeIntervalMs: number;
  /** One page at a time sends an upload; absent: no other page to keep out (Node, tests). */
  lock?: UploadLock;
  /** One quick call that succeeds when the server answers (while offline). @default `transport.listParts` */
  probe?: (upload: UploadRef, signal: AbortSignal) => Promise<unknown>;
  /** Compute the whole-file SHA-256 while uploading; `false` skips it. @default true */
  wholeFileSha256?: boolean;
  /**
   * Resolves in a later task. Each part's hashing, each PUT and each checkpoint save start after it, in a task
   * of their own, so the task in which a part finishes stays short (the final checkpoint delete does not
   * wait). Absent: no yielding (unit tests).
   */
  nextTask?: () => Promise<void>;
}

/** Whether the session computes the whole-file SHA-256 (`wholeFileSha256` unset means yes). */
export function computesWholeFileSha256(deps: Pick<SessionDeps, 'wholeFileSha256'>): boolean {
  return deps.wholeFileSha256 !== false;
}

/** The upload a checkpoint names, as the server started it. */
export function uploadInfoOf(checkpoint: Checkpoint): UploadInfo {
  return {
    uploadId: checkpoint.uploadId,
    key: checkpoint.key,
    token: checkpoint.token,
    tokenExpiresAt: checkpoint.tokenExpiresAt,
    partSize: checkpoint.partSize,
    partCount: checkpoint.partCount,
    size: checkpoint.size,
    checksumAlgorithm: checkpoint.checksumAlgorithm,
    maxSignBatch: 100,
  };
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
  /** When `signed` was received (its lifetime is `expiresAt - signedAt`). */
  signedAt: number;
  attempt: number;
  /** Why the last attempt failed, while retrying. */
  reason: string | null;
  /** When the next attempt starts, while retrying (ms since the epoch). */
  retryAt: number | null;
}

/** What preparing (create or resume) hands to the upload phase. */
export interface PreparedUpload {
  upload: UploadInfo;
  /** `null` for a growing source. */
  fingerprint: FileFingerprint | null;
  parts: PartRecord[];
  hashState: string | null;
  hashedThrough: number;
  createdAt: number;
}

/**
 * Extend `parts` to what the source holds now: every full part, and once the source has ended, the last
 * short one. Planned parts never change size (only full parts are planned before the end).
 */
export function extendParts(
  parts: readonly PartRecord[],
  partSize: number,
  source: Pick<UploadSource, 'size' | 'ended'>,
  done: ReadonlyMap<number, CheckpointPart> = new Map(),
): PartRecord[] {
  const count = source.ended ? Math.ceil(source.size / partSize) : Math.floor(source.size / partSize);
  if (count <= parts.length) return [...parts];
  const added = Array.from({ length: count - parts.length }, (_, index) => {
    const partNumber = parts.length + index + 1;
    return newPart(partNumber, Math.min(partSize, source.size - (partNumber - 1) * partSize), done.get(partNumber));
  });
  return [...parts, ...added];
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
    signedAt: 0,
    attempt: 0,
    reason: null,
    retryAt: null,
  };
}

export type { PartChecksumAlgorithm };
