/**
 * Every effect the engine has goes through one of these interfaces. Browser implementations live in
 * `adapters/` and are wired in `createUploader.ts`; tests and other runtimes pass their own.
 */
import type { Checkpoint } from './logic/checkpoint.js';
import type { PartFailure } from './logic/retryPolicy.js';
import type {
  CompleteUploadRequest,
  CompleteUploadResponse,
  CreateUploadRequest,
  CreateUploadResponse,
  ListPartsResponse,
  PartDigestAlgorithm,
  SignedPart,
  SignPartRequest,
} from './protocol.js';

/** Identifies a started upload to the server. */
export interface UploadRef {
  uploadId: string;
  token: string;
}

/**
 * Calls to the upload server (`@tessera/server-adapter`). Failures reject with a `TesseraError` carrying the
 * server's code and status; network failures and 5xx answers are `retryable`.
 */
export interface Transport {
  create(request: CreateUploadRequest, signal?: AbortSignal): Promise<CreateUploadResponse>;
  sign(upload: UploadRef, parts: SignPartRequest[], signal?: AbortSignal): Promise<SignedPart[]>;
  listParts(upload: UploadRef, signal?: AbortSignal): Promise<ListPartsResponse>;
  complete(upload: UploadRef, request: CompleteUploadRequest, signal?: AbortSignal): Promise<CompleteUploadResponse>;
  abort(upload: UploadRef, signal?: AbortSignal): Promise<void>;
}

/** One presigned PUT of a part's bytes. */
export interface PartUploadRequest {
  partNumber: number;
  url: string;
  /** Signed headers to send unchanged (e.g. `content-md5`). */
  headers: Record<string, string>;
  /** The part's bytes: a `Blob` slice of the source, never a copy in memory. */
  body: Blob;
  /** Give up after this long in total. */
  timeoutMs: number;
  /** Give up when no upload progress was seen for this long. */
  stallTimeoutMs: number;
  signal: AbortSignal;
  /** Bytes of the body sent so far. */
  onProgress?: (loadedBytes: number) => void;
}

/** What became of a part PUT: the ETag, or a classified failure (never thrown for HTTP or network failures). */
export type PartUploadResult = { ok: true; etag: string } | { ok: false; failure: PartFailure };

/** Sends a part's bytes to its presigned URL. */
export interface PartUploader {
  upload(request: PartUploadRequest): Promise<PartUploadResult>;
}

/** A part's digest, and optionally the running whole-file SHA-256 with the part folded in. */
export interface PartHash {
  /** Base64 digest with the `algorithm` asked for; absent when none was asked for. */
  checksum?: string;
  /** MD5 of the part as hex (what an S3 part ETag is), when the algorithm is `md5`. */
  md5Hex?: string;
  /** The running SHA-256 state after this part, when one was passed in. */
  sha256State?: string;
}

/** Hashing, off the main thread where the platform allows. */
export interface Hasher {
  /**
   * Read `blob` once; return its digest with `algorithm` (none without one). With `sha256State` (`null` = a
   * fresh hash), also fold the bytes into that running whole-file SHA-256 and return the new state. With
   * neither, the blob is not read at all.
   */
  hashPart(
    input: { blob: Blob; algorithm?: PartDigestAlgorithm; sha256State?: string | null },
    signal?: AbortSignal,
  ): Promise<PartHash>;
  /** Finish a running SHA-256: the base64 digest. */
  finishSha256(state: string | null): Promise<string>;
  /** Hex SHA-256 of a small blob (fingerprint samples). */
  sampleHash(blob: Blob): Promise<string>;
  /** Release workers. */
  dispose?(): void;
}

/** Durable checkpoints (IndexedDB in browsers). */
export interface CheckpointStore {
  load(id: string): Promise<Checkpoint | null>;
  save(checkpoint: Checkpoint): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<Checkpoint[]>;
}

/** Whether the network is there, and when that changes. */
export interface NetworkStatus {
  isOnline(): boolean;
  /** Returns an unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/**
 * One page at a time sends an upload: Web Locks in browsers (`createWebLocksUploadLock`), a `localStorage`
 * lease where they are missing. The lock goes with its page: closed, crashed or navigated away.
 */
export interface UploadLock {
  /**
   * Resolves with a function releasing upload `id`'s lock once this page holds it; calls `onWaiting` first when
   * another page holds it and this one waits its turn. Rejects when `signal` fires.
   */
  acquire(id: string, options: { signal: AbortSignal; onWaiting: () => void }): Promise<() => void>;
  /** Whether some page (this one included) holds upload `id`'s lock now. */
  isHeld(id: string): Promise<boolean>;
}

/** Wall-clock time (for checkpoints, URL expiry and rates); XState's clock drives delays. */
export interface Clock {
  now(): number;
}

/** Where a recording's bytes are persisted as they arrive (OPFS, IndexedDB or memory). */
export type { RecordingBuffer } from './recording/recordingBuffer.js';
