/**
 * What the stories run on: core's simulated backend (server, store and network in memory), its knobs as
 * Storybook args, and small wrappers that put an upload in one exact state (a part the store keeps refusing,
 * a server policy, a completion that never answers). No story needs a server.
 */
import type { ArgTypes } from '@storybook/react-vite';
import {
  type Checkpoint,
  type CheckpointStore,
  createHashWasmHasher,
  createMemoryCheckpointStore,
  createSimulatedBackend,
  createUpload,
  type Hasher,
  parseCheckpoint,
  type PartUploader,
  type PartUploadRequest,
  type PartUploadResult,
  resumeUpload,
  type SimulatedBackend,
  type SimulatedKnobs,
  TesseraError,
  type Transport,
  type Upload,
  type UploadOptions,
  type UploadSnapshot,
  type UploadSource,
} from '../index.js';
import type { TesseraOptions } from '../tesseraContext.js';

/** The route the simulated uploads pretend to use. */
export const ENDPOINT = '/simulated';

/** The simulated backend's knobs, in the units a person sets them in (Storybook controls). */
export interface Knobs {
  /** Delay of every server call and of each part's first byte, in ms. */
  latencyMs: number;
  /** Upload bandwidth shared by the parts in flight, in MB/s. */
  bandwidthMBps: number;
  /** Chance that a part PUT fails (a dropped connection or a 503). */
  failureRate: number;
  /** The network is gone: part PUTs and server calls fail, and the upload waits for it. */
  offline: boolean;
  /** Preferred part size, in MiB (S3 takes 5 MiB at least). */
  partSizeMiB: number;
}

export const DEFAULT_KNOBS: Knobs = {
  latencyMs: 60,
  bandwidthMBps: 20,
  failureRate: 0,
  offline: false,
  partSizeMiB: 5,
};

const category = { table: { category: 'Simulated backend' } };

/** Controls for {@link Knobs}; changing one while uploads run changes the backend at once. */
export const KNOB_ARG_TYPES: Partial<ArgTypes<Knobs>> = {
  latencyMs: { control: { type: 'number', min: 0, step: 20 }, description: 'Latency of each call, ms', ...category },
  bandwidthMBps: {
    control: { type: 'range', min: 0.25, max: 200, step: 0.25 },
    description: 'Upload bandwidth, MB/s',
    ...category,
  },
  failureRate: {
    control: { type: 'range', min: 0, max: 1, step: 0.05 },
    description: 'Chance that a part PUT fails',
    ...category,
  },
  offline: { control: 'boolean', description: 'Network gone', ...category },
  partSizeMiB: { control: { type: 'range', min: 5, max: 64, step: 1 }, description: 'Part size, MiB', ...category },
};

/** Core's knobs from the story's. */
export function simulatedKnobs(knobs: Knobs): SimulatedKnobs {
  return {
    latencyMs: knobs.latencyMs,
    bytesPerSecond: knobs.bandwidthMBps * 1e6,
    failureRate: knobs.failureRate,
    offline: knobs.offline,
    urlTtlSeconds: 300,
    partSize: knobs.partSizeMiB * 2 ** 20,
  };
}

/** Pick the knob fields out of a story's args. */
export function knobsOf(args: Partial<Knobs>): Knobs {
  const { latencyMs, bandwidthMBps, failureRate, offline, partSizeMiB } = { ...DEFAULT_KNOBS, ...args };
  return { latencyMs, bandwidthMBps, failureRate, offline, partSizeMiB };
}

/** A simulated backend and the core options that use it, plus every upload started on it. */
export interface Simulation {
  backend: SimulatedBackend;
  checkpoints: CheckpointStore;
  /** For `TesseraProvider options` (or `createUpload`). */
  options: TesseraOptions;
  /** Start (or only create, with `autoStart: false`) an upload on this backend. */
  upload(source: Blob | UploadSource, extra?: Partial<UploadOptions>): Upload;
  /** Take up an unfinished upload with `source` picked again. */
  resume(checkpoint: Checkpoint, source: Blob): Upload;
  /** Set the knobs that differ from the backend's now. */
  setKnobs(knobs: Knobs): void;
  /** Stop every upload this simulation started (the story is gone). */
  stop(): void;
}

/** How a story changes the simulation to reach its state. */
export interface SimulationSetup {
  knobs: Knobs;
  /** Reuse a backend (the "server" an earlier visit talked to). */
  backend?: SimulatedBackend;
  checkpoints?: CheckpointStore;
  transport?: (transport: Transport) => Transport;
  uploader?: (uploader: PartUploader) => PartUploader;
  hasher?: (hasher: Hasher) => Hasher;
  /** Core options over the stories' defaults (retry, concurrency, `random`). */
  options?: Partial<TesseraOptions>;
}

export function createSimulation(setup: SimulationSetup): Simulation {
  const backend = setup.backend ?? createSimulatedBackend(simulatedKnobs(setup.knobs));
  if (setup.backend) backend.setKnobs(simulatedKnobs(setup.knobs));
  const checkpoints = setup.checkpoints ?? createMemoryCheckpointStore();
  const options: TesseraOptions = {
    transport: setup.transport ? setup.transport(backend.transport) : backend.transport,
    uploader: setup.uploader ? setup.uploader(backend.uploader) : backend.uploader,
    network: backend.network,
    // On the page's thread: no worker to bundle for a story, and the digests are the real ones.
    hasher: setup.hasher ? setup.hasher(createHashWasmHasher()) : createHashWasmHasher(),
    checkpoints,
    concurrency: 4,
    retry: { baseMs: 400, capMs: 4_000, maxAttempts: 8 },
    probeIntervalMs: 1_000,
    ...setup.options,
  };
  const started: Upload[] = [];
  const keep = (upload: Upload) => {
    started.push(upload);
    return upload;
  };
  return {
    backend,
    checkpoints,
    options,
    upload: (source, extra = {}) => keep(createUpload({ ...options, endpoint: ENDPOINT, source, autoStart: true, ...extra })),
    resume: (checkpoint, source) =>
      keep(resumeUpload(checkpoint, { ...options, endpoint: ENDPOINT, source, autoStart: true })),
    setKnobs(knobs) {
      const now = backend.knobs();
      const next = simulatedKnobs(knobs);
      const changed = Object.fromEntries(
        Object.entries(next).filter(([name, value]) => now[name as keyof SimulatedKnobs] !== value),
      );
      if (Object.keys(changed).length > 0) backend.setKnobs(changed);
    },
    stop() {
      for (const upload of started) upload.actor.stop();
    },
  };
}

/** Resolves with the first snapshot of `upload` for which `reached` holds. */
export function until(
  upload: Upload,
  reached: (snapshot: UploadSnapshot) => boolean,
  timeoutMs = 20_000,
): Promise<UploadSnapshot> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`the upload did not reach the state in ${timeoutMs} ms (${upload.getSnapshot().status})`));
    }, timeoutMs);
    const check = () => {
      const snapshot = upload.getSnapshot();
      if (!reached(snapshot)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
      return true;
    };
    if (!check()) unsubscribe = upload.subscribe(() => void check());
  });
}

/** How many parts the store has confirmed. */
export const storedParts = (snapshot: UploadSnapshot) => snapshot.parts.filter((part) => part.status === 'done').length;

const MB = 1e6;

/**
 * A file of `megabytes` (decimal MB) of deterministic bytes, made in the browser; another `seed` gives other
 * bytes of the same size (a "wrong file" for a resume).
 */
export function makeFile(
  name: string,
  megabytes: number,
  { type = 'application/octet-stream', seed = 1 }: { type?: string; seed?: number } = {},
): File {
  // One block of pseudo-random bytes, repeated: the Blob holds the copies, the page builds only the block.
  const block = new Uint8Array(65_521);
  let state = (seed * 2_654_435_761) >>> 0;
  for (let index = 0; index < block.length; index++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    block[index] = state >>> 24;
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (let left = Math.round(megabytes * MB); left > 0; left -= block.length) {
    chunks.push(left >= block.length ? block : block.subarray(0, left));
  }
  return new File(chunks, name, { type, lastModified: Date.UTC(2026, 10, 2, 9, 30) });
}

/** What a part attempt gets: the real simulated PUT, a failure, or a hold (sent in part, never answered). */
export type PartAnswer = 'pass' | 'hold' | Extract<PartUploadResult, { ok: false }>;

/** A PartUploader that answers some attempts itself, by part number and attempt (0-based). */
export function scriptedUploader(
  inner: PartUploader,
  script: (partNumber: number, attempt: number) => PartAnswer,
): PartUploader {
  const attempts = new Map<number, number>();
  return {
    upload(request: PartUploadRequest) {
      const attempt = attempts.get(request.partNumber) ?? 0;
      attempts.set(request.partNumber, attempt + 1);
      const answer = script(request.partNumber, attempt);
      if (answer === 'pass') return inner.upload(request);
      if (answer !== 'hold') return Promise.resolve(answer);
      request.onProgress?.(Math.floor(request.body.size * 0.4));
      return new Promise((resolve) => {
        request.signal.addEventListener('abort', () => resolve({ ok: false, failure: { kind: 'aborted' } }), {
          once: true,
        });
      });
    },
  };
}

/** What S3 answers when it wants a client to slow down: a retryable 503. */
export const SLOW_DOWN: PartAnswer = {
  ok: false,
  failure: {
    kind: 'http',
    status: 503,
    body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
  },
};

/** What a store answers a PUT it will not take: a 403 that re-signing does not cure. */
export const ACCESS_DENIED: PartAnswer = {
  ok: false,
  failure: { kind: 'http', status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' },
};

/** A PUT that succeeded, but whose ETag header the bucket's CORS rules hide from the page. */
export const ETAG_HIDDEN: PartAnswer = { ok: false, failure: { kind: 'etag-missing' } };

/** The server-side rules `@tessera/server-adapter` applies when an upload is created. */
export interface ServerPolicy {
  maxSize?: number;
  /** Content types allowed, `type/*` wildcards allowed. */
  types?: readonly string[];
}

/** A transport whose server refuses, as server-adapter does, what its policy does not allow. */
export function withServerPolicy(transport: Transport, policy: ServerPolicy): Transport {
  const allowed = (type: string) =>
    policy.types === undefined ||
    policy.types.some((pattern) => (pattern.endsWith('/*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern));
  return {
    ...transport,
    create(request, signal) {
      const size = request.size ?? 0;
      if (policy.maxSize !== undefined && size > policy.maxSize) {
        const message = `${request.fileName} is ${size} bytes; this server takes ${policy.maxSize} at most`;
        return Promise.reject(new TesseraError('file-too-large', message, { status: 413, field: 'size' }));
      }
      if (!allowed(request.contentType)) {
        const message = `${request.contentType} is not one of ${policy.types?.join(', ')}`;
        return Promise.reject(new TesseraError('type-not-allowed', message, { status: 415, field: 'contentType' }));
      }
      return transport.create(request, signal);
    },
  };
}

/** A transport whose CompleteMultipartUpload never answers (until aborted): the upload stays "Finishing". */
export function withSlowCompletion(transport: Transport): Transport {
  return {
    ...transport,
    complete: (_ref, _request, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new TesseraError('aborted', 'aborted')), { once: true });
      }),
  };
}

/**
 * An earlier visit to the page: `file` uploads on `backend` until the store holds `parts` parts, then the tab
 * "reloads" (the actor stops mid-upload). Resolves with the checkpoint the visit left in `checkpoints`,
 * checked with core's `parseCheckpoint`, as the next visit reads it.
 */
export async function earlierVisit(
  backend: SimulatedBackend,
  checkpoints: CheckpointStore,
  file: File,
  parts: number,
): Promise<Checkpoint> {
  const fast = { ...DEFAULT_KNOBS, latencyMs: 5, bandwidthMBps: 400 };
  const visit = createSimulation({ knobs: fast, backend, checkpoints, options: { concurrency: 2 } });
  const upload = visit.upload(file);
  await until(upload, (snapshot) => storedParts(snapshot) >= parts);
  upload.actor.stop();
  // Checkpoints are written after each confirmed part, one after another: wait for the last one.
  for (let tries = 0; tries < 100; tries++) {
    const [saved] = await checkpoints.list();
    const checkpoint = parseCheckpoint(saved);
    if (checkpoint && checkpoint.parts.length >= parts) return checkpoint;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the earlier visit left no readable checkpoint');
}

/**
 * A Hasher whose part checksums (not the whole-file hash folded beside them) stop answering from call
 * number `from` (1-based): the part being hashed then stays "hashing".
 */
export function hashingStalls(hasher: Hasher, from: number): Hasher {
  let calls = 0;
  return {
    ...hasher,
    hashPart(input, signal) {
      if (input.sha256State !== undefined || ++calls < from) return hasher.hashPart(input, signal);
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new TesseraError('aborted', 'aborted')), { once: true });
      });
    },
  };
}

/** A source whose bytes arrive while it uploads, as a recording's do; its size is unknown until `end()`. */
export class GrowingFile implements UploadSource {
  readonly type = 'video/webm';
  readonly lastModified = 0;
  ended = false;
  private readonly chunks: Blob[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly name: string) {}

  get size(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.size, 0);
  }

  async slice(start: number, end: number): Promise<Blob> {
    return new Blob(this.chunks).slice(start, end);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Add `megabytes` of bytes. */
  push(megabytes: number): void {
    this.chunks.push(makeFile('chunk', megabytes, { seed: this.chunks.length + 1 }));
    for (const listener of [...this.listeners]) listener();
  }

  end(): void {
    this.ended = true;
    for (const listener of [...this.listeners]) listener();
  }
}

/** Put `files` in a file input as a pick would, whatever its `accept` says, and tell React. */
export function pickFiles(input: HTMLInputElement, files: readonly File[]): void {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Fire a drag-and-drop event (`dragenter`, `drop`, …) carrying `files` at `target`, as a person's drag does. */
export function dragFiles(target: Element, type: 'dragenter' | 'dragover' | 'dragleave' | 'drop', files: readonly File[]) {
  const dataTransfer = new DataTransfer();
  for (const file of files) dataTransfer.items.add(file);
  target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
}
