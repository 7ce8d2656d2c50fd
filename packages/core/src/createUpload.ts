import { type Actor, createActor } from 'xstate';
import { createBrowserNetworkStatus } from './adapters/browserNetworkStatus.js';
import {
  createIndexedDbFileHandleStore,
  type FileHandleLike,
  type FileHandleStore,
  fileFromHandle,
} from './adapters/fileHandleStore.js';
import { createFetchPartUploader } from './adapters/fetchPartUploader.js';
import { createFetchTransport } from './adapters/fetchTransport.js';
import { createIndexedDbCheckpointStore, type IndexedDbCheckpointStore } from './adapters/indexedDbCheckpointStore.js';
import { nextTask } from './adapters/nextTask.js';
import { anySignal } from './adapters/anySignal.js';
import { createReliableTransport, type ServerRetry } from './adapters/reliableTransport.js';
import { browserUploadLock } from './adapters/uploadLock.js';
import { systemClock } from './adapters/systemClock.js';
import { createWorkerHasher } from './adapters/workerHasher.js';
import { createXhrPartUploader } from './adapters/xhrPartUploader.js';
import { blobSource } from './blobSource.js';
import { TesseraError } from './errors.js';
import { DEFAULT_RETRY, type RetryOptions } from './logic/backoff.js';
import type { Checkpoint } from './logic/checkpoint.js';
import type { ServerCall, ServerRetryOptions } from './logic/serverRetry.js';
import { uploadMachine } from './machines/uploadMachine.js';
import type { CheckpointStore, Clock, Hasher, NetworkStatus, PartUploader, Transport, UploadLock } from './ports.js';
import { type SessionDeps, type UploadSource, uploadInfoOf } from './session.js';
import type { SlotPool } from './slotPool.js';
import { toUploadSnapshot, type UploadResult, type UploadSnapshot, uploadStatusOf } from './snapshot.js';

/** Options of {@link createUpload}. Every port has a browser default; pass your own to run elsewhere. */
export interface UploadOptions {
  /** What to upload: a `File`, a `Blob`, or any {@link UploadSource}. */
  source: Blob | UploadSource;
  /** Where `@tessera/server-adapter` is mounted, e.g. `/api/uploads`. */
  endpoint: string;
  /** Parts in flight at once. @default 4 */
  concurrency?: number;
  /** Retry tuning per part: capped exponential backoff with full jitter. @default { baseMs: 500, capMs: 30000, maxAttempts: 8 } */
  retry?: Partial<RetryOptions>;
  /** Longest a part PUT may take. @default 600000 (10 min) */
  timeoutMs?: number;
  /** Abort a PUT that made no progress for this long, and retry it. @default 30000 */
  stallTimeoutMs?: number;
  /** Re-sign a URL that expires sooner than this before it is used. @default 30000 */
  expiryMarginMs?: number;
  /** While offline, probe the server this often to notice it is reachable again. @default 3000 */
  probeIntervalMs?: number;
  /**
   * Compute the file's SHA-256 while uploading (returned as `result.sha256` and sent at complete, where the
   * server checks it against one declared at create). It is the one hash that must read every byte in order
   * on one thread, in WebAssembly at about 190 MB/s: where CPU is short (a store on the same two cores, a
   * slow laptop) it costs throughput. `false` skips it; each part is still MD5-checked by the store and the
   * object's multipart ETag by this client. @default true
   */
  wholeFileSha256?: boolean;
  /** Extra headers for calls to your server (e.g. a CSRF token). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /**
   * Deadline of each call to your server, per call, in milliseconds; a call that passes it is abandoned and
   * retried. @default { create: 30000, sign: 30000, list: 30000, complete: 120000, abort: 30000 }
   */
  serverTimeouts?: Partial<Record<ServerCall, number>>;
  /**
   * How failed calls to your server are retried: network failures, timeouts, 408, 429 (after its
   * `Retry-After`) and 5xx with capped exponential backoff and full jitter, for up to `giveUpAfterMs`; refusals
   * (4xx) fail at once. @default { baseMs: 500, capMs: 30000, giveUpAfterMs: 600000 }
   */
  serverRetry?: Partial<ServerRetryOptions>;
  /** Told about every retried call to your server. */
  onServerRetry?: (retry: ServerRetry) => void;
  /** Local id of the upload (the checkpoint's key). @default a random UUID */
  id?: string;
  /**
   * Whose upload this is: the signed-in user's id (or a tenant's), kept in its checkpoint. Unfinished uploads
   * are listed and cleared per scope, so on a shared browser one user never sees another's (pass the same
   * scope to `findResumableUploads` and `clearUnfinishedUploads`). @default none: unscoped
   */
  scope?: string;
  /** Start automatically. @default false */
  autoStart?: boolean;
  /**
   * The picked file's handle, where the browser gives one (`showOpenFilePicker`): kept so that after a reload
   * the upload can resume without the file being picked again (see `resumeWithKeptFile`).
   */
  fileHandle?: FileHandleLike;
  /** Where file handles are kept. @default IndexedDB */
  fileHandles?: FileHandleStore;
  /** Part slots shared with other uploads (what `createUploadQueue` passes). */
  slots?: SlotPool;
  transport?: Transport;
  uploader?: PartUploader;
  hasher?: Hasher;
  checkpoints?: CheckpointStore;
  network?: NetworkStatus;
  /** One page at a time sends an upload. @default Web Locks, or a localStorage lease without them; none in Node */
  lock?: UploadLock | null;
  clock?: Clock;
  random?: () => number;
}

/** A running upload. */
export interface Upload {
  readonly id: string;
  /**
   * Whether a page opened later can take this upload up again without the user picking the file: its bytes
   * are persisted (a recording) or the browser gave a file handle that was kept. When `false`, closing the
   * page mid-upload leaves the upload resumable only once the file is chosen again.
   */
  readonly resumesAfterReload: boolean;
  /** The XState actor, for `useSelector` and inspection. */
  readonly actor: Actor<typeof uploadMachine>;
  start(): void;
  /**
   * Pause. By default the parts in flight stop at once (their bytes are sent again on resume); with
   * `finishInFlight` they finish first (status `pausing`), so nothing sent is sent twice.
   */
  pause(options?: { finishInFlight?: boolean }): void;
  resume(): void;
  abort(): void;
  /** After a failure: continue from what the store holds, never from zero. */
  retry(): void;
  getSnapshot(): UploadSnapshot;
  /** Called on every change; returns an unsubscribe function. */
  subscribe(listener: (snapshot: UploadSnapshot) => void): () => void;
  /** Resolves when the upload completes; rejects when it fails or is aborted (after `retry()`, wait again). */
  done(): Promise<UploadResult>;
}

/** Deadline of one probe of the server while offline. */
const PROBE_TIMEOUT_MS = 10_000;

// Browser defaults are created on first use and shared by every upload of the page: one worker pool, one
// IndexedDB store, one network listener (a queue of a hundred files must not start two hundred workers).
let sharedDefaults: { hasher: Hasher; checkpoints: IndexedDbCheckpointStore; network: NetworkStatus } | undefined;
function browserDefaults() {
  sharedDefaults ??= {
    hasher: createWorkerHasher(),
    checkpoints: createIndexedDbCheckpointStore(),
    network: createBrowserNetworkStatus(),
  };
  return sharedDefaults;
}

// The default checkpoint store is opened as soon as an upload uses it: loading localforage and opening
// IndexedDB on the first save, in the middle of the first parts, made one long main-thread task of it when
// the CPU was busy. `prepare()` reuses an open store; a failure is reported by the first real call, which
// opens it again.
function defaultCheckpoints(): CheckpointStore {
  const { checkpoints } = browserDefaults();
  checkpoints.prepare().catch(() => undefined);
  return checkpoints;
}

function lockOf(options: Pick<UploadOptions, 'lock'>): { lock?: UploadLock } {
  const lock = options.lock === undefined ? browserUploadLock() : options.lock;
  return lock ? { lock } : {};
}

function sessionDeps(options: Omit<UploadOptions, 'source'>): SessionDeps {
  const random = options.random ?? Math.random;
  // A transport of the caller's is used as given; the default one gets deadlines and retries.
  const plain =
    options.transport ??
    createFetchTransport({ endpoint: options.endpoint, ...(options.headers && { headers: options.headers }) });
  const transport =
    options.transport ??
    createReliableTransport(plain, {
        random,
        ...(options.serverTimeouts && { timeouts: options.serverTimeouts }),
        ...(options.serverRetry && { retry: options.serverRetry }),
        ...(options.onServerRetry && { onRetry: options.onServerRetry }),
    });
  return {
    endpoint: options.endpoint,
    transport,
    // While offline, one quick try every probeIntervalMs, not a patient call.
    probe: (upload, signal) => plain.listParts(upload, anySignal([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)])),
    uploader:
      options.uploader ??
      (typeof XMLHttpRequest === 'undefined' ? createFetchPartUploader() : createXhrPartUploader()),
    hasher: options.hasher ?? browserDefaults().hasher,
    checkpoints: options.checkpoints ?? defaultCheckpoints(),
    network: options.network ?? browserDefaults().network,
    ...lockOf(options),
    clock: options.clock ?? systemClock,
    random,
    concurrency: options.concurrency ?? 4,
    ...(options.slots && { slots: options.slots }),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 600_000,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    expiryMarginMs: options.expiryMarginMs ?? 30_000,
    probeIntervalMs: options.probeIntervalMs ?? 3_000,
    wholeFileSha256: options.wholeFileSha256 ?? true,
    nextTask,
  };
}

function startUpload(options: UploadOptions, checkpoint: Checkpoint | null): Upload {
  const deps = sessionDeps(options);
  const source = options.source instanceof Blob ? blobSource(options.source) : options.source;
  // A recording's upload takes the recording's id, so that after a reload the two are found together.
  const recordingId = 'id' in source && typeof source.id === 'string' ? source.id : undefined;
  const id = checkpoint?.id ?? options.id ?? recordingId ?? crypto.randomUUID();
  const scope = checkpoint?.scope ?? options.scope ?? null;
  const actor = createActor(uploadMachine, { input: { id, scope, deps, source, checkpoint } });
  actor.start();
  const snapshot = () => toUploadSnapshot(actor.getSnapshot(), deps.clock.now());
  const upload: Upload = {
    id,
    resumesAfterReload: recordingId !== undefined || options.fileHandle !== undefined,
    actor,
    start: () => actor.send({ type: 'START' }),
    pause: (options) => actor.send({ type: 'PAUSE', ...(options?.finishInFlight && { finishInFlight: true }) }),
    resume: () => actor.send({ type: 'RESUME' }),
    abort: () => actor.send({ type: 'ABORT' }),
    retry: () => actor.send({ type: 'RETRY' }),
    getSnapshot: snapshot,
    subscribe(listener) {
      const subscription = actor.subscribe(() => listener(snapshot()));
      return () => subscription.unsubscribe();
    },
    done: () =>
      new Promise<UploadResult>((resolve, reject) => {
        // Reads the machine's own snapshot: this runs on every event, and needs nothing else.
        const settle = (): boolean => {
          const current = actor.getSnapshot();
          const status = uploadStatusOf(current);
          const { result, error } = current.context;
          if (status === 'completed' && result) resolve(result);
          else if (status === 'failed') reject(error);
          else if (status === 'aborted') reject(new TesseraError('aborted', 'the upload was aborted'));
          else return false;
          return true;
        };
        if (settle()) return;
        const subscription = actor.subscribe(() => {
          if (settle()) subscription.unsubscribe();
        });
      }),
  };
  if (options.fileHandle) keepFileHandle(upload, options.fileHandle, options.fileHandles);
  if (options.autoStart) upload.start();
  return upload;
}

/** Keep the handle while the upload can still be resumed; forget it once it completed or was aborted. */
function keepFileHandle(upload: Upload, handle: FileHandleLike, store = createIndexedDbFileHandleStore()): void {
  void store.save(upload.id, handle).catch(() => undefined);
  const stop = upload.subscribe((snapshot) => {
    if (snapshot.status === 'completed' || snapshot.status === 'aborted') {
      stop();
      void store.delete(upload.id).catch(() => undefined);
    }
  });
}

/**
 * Resume an unfinished upload with the file handle kept when it started, without asking the user to pick the
 * file again. Resolves `null` when no handle was kept or the browser no longer lets the page read it (then
 * ask for the file). Call it from a user gesture with `request: true` if the browser should ask permission.
 *
 * @example
 * ```ts
 * const upload = (await resumeWithKeptFile(checkpoint, { endpoint: checkpoint.endpoint })) ?? askForTheFile();
 * upload.start();
 * ```
 */
export async function resumeWithKeptFile(
  checkpoint: Checkpoint,
  options: Omit<UploadOptions, 'source'> & { request?: boolean },
): Promise<Upload | null> {
  const store = options.fileHandles ?? createIndexedDbFileHandleStore();
  const handle = await store.load(checkpoint.id).catch(() => null);
  const file = handle && (await fileFromHandle(handle, { request: options.request ?? false }));
  return file ? startUpload({ ...options, source: file, fileHandle: handle, fileHandles: store }, checkpoint) : null;
}

/**
 * Upload a file straight to S3 through presigned part URLs from your `@tessera/server-adapter` route.
 *
 * @example
 * ```ts
 * const upload = createUpload({ source: file, endpoint: '/api/uploads' });
 * upload.subscribe((s) => render(s.status, s.progress.fraction));
 * upload.start();
 * const { key, sha256 } = await upload.done();
 * ```
 */
export function createUpload(options: UploadOptions): Upload {
  return startUpload(options, null);
}

/**
 * Take up an unfinished upload after a reload: `source` must be the same file (checked by its
 * fingerprint; another file fails with `fingerprint-mismatch` before anything is sent). Parts the store
 * already holds are not sent again.
 *
 * @example
 * ```ts
 * const [unfinished] = await findResumableUploads();
 * const upload = resumeUpload(unfinished, { source: pickedFile, endpoint: unfinished.endpoint });
 * upload.start();
 * ```
 */
export function resumeUpload(checkpoint: Checkpoint, options: UploadOptions): Upload {
  return startUpload(options, checkpoint);
}

/** Which unfinished uploads {@link findResumableUploads} and {@link clearUnfinishedUploads} mean. */
export interface UnfinishedUploadsFilter {
  /** @default the browser's IndexedDB store */
  checkpoints?: CheckpointStore;
  /** Only uploads through this server route. @default any */
  endpoint?: string;
  /** Only uploads of this scope (see `UploadOptions.scope`). @default only unscoped uploads */
  scope?: string;
}

function inFilter(checkpoint: Checkpoint, filter: UnfinishedUploadsFilter): boolean {
  return (
    (filter.endpoint === undefined || checkpoint.endpoint === filter.endpoint) &&
    checkpoint.scope === (filter.scope ?? null)
  );
}

/** Unfinished uploads this browser remembers for `filter` (its scope, or the unscoped ones), newest first. */
export async function findResumableUploads(filter: UnfinishedUploadsFilter = {}): Promise<Checkpoint[]> {
  const store = filter.checkpoints ?? defaultCheckpoints();
  const all = await store.list();
  return all.filter((checkpoint) => inFilter(checkpoint, filter)).sort((a, b) => b.updatedAt - a.updatedAt);
}

/**
 * Forget the unfinished uploads of `filter`'s scope in this browser, e.g. when its user signs out, so the next
 * user of the browser finds nothing of theirs (checkpoints hold upload tokens). With `abort`, each upload is
 * also aborted on the server (its parts stop costing storage; best effort: an upload the server cannot be
 * reached for is only forgotten). Uploads running in this page are not stopped: abort those first. Resolves
 * with the number forgotten.
 *
 * @example
 * ```ts
 * async function signOut(user: { id: string }) {
 *   await clearUnfinishedUploads({ scope: user.id, abort: { endpoint: '/api/uploads' } });
 *   await endSession();
 * }
 * ```
 */
export async function clearUnfinishedUploads(
  filter: UnfinishedUploadsFilter & { abort?: { transport?: Transport; endpoint?: string } },
): Promise<number> {
  const store = filter.checkpoints ?? defaultCheckpoints();
  const found = (await store.list()).filter((checkpoint) => inFilter(checkpoint, filter));
  const { abort } = filter;
  await Promise.all(
    found.map(async (checkpoint) => {
      if (abort) {
        const transport = abort.transport ?? createFetchTransport({ endpoint: abort.endpoint ?? checkpoint.endpoint });
        await transport.abort(uploadInfoOf(checkpoint)).catch(() => undefined);
      }
      await store.delete(checkpoint.id);
    }),
  );
  return found.length;
}
