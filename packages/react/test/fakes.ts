/** In-memory stand-ins for core's ports, so React tests touch no network, no IndexedDB and no worker. */
import {
  type Checkpoint,
  type CheckpointStore,
  type CompleteUploadRequest,
  type CreateUploadRequest,
  createMemoryCheckpointStore,
  type Hasher,
  type NetworkStatus,
  type PartFailure,
  type PartUploader,
  type PartUploadRequest,
  type PartUploadResult,
  type SignPartRequest,
  TesseraError,
  type Transport,
  type UploadRef,
} from '@tessera/core';
import type { TesseraOptions } from '../src/tesseraContext.js';

export const ENDPOINT = '/api/uploads';
const DAY_MS = 86_400_000;

/** FNV-1a of some bytes, as hex: a stand-in digest (what matters is that other bytes give another one). */
export function digest(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** A file of `size` deterministic bytes; another `seed` gives other bytes of the same size. */
export function makeFile(name: string, size: number, { type = 'application/octet-stream', seed = 1 } = {}): File {
  const bytes = Uint8Array.from({ length: size }, (_, index) => (index * 7 + seed * 13) % 251);
  return new File([bytes], name, { type, lastModified: 1_700_000_000_000 });
}

/** Digests instead of MD5/SHA-256: fast, deterministic, and different for different bytes. */
export function createFakeHasher(): Hasher {
  return {
    async hashPart({ blob, sha256State }) {
      const hex = digest(await bytesOf(blob));
      return { checksum: btoa(hex), ...(sha256State !== undefined && { sha256State: `${sha256State ?? ''}${hex}` }) };
    },
    finishSha256: async (state) => btoa(state ?? ''),
    sampleHash: async (blob) => digest(await bytesOf(blob)),
  };
}

interface ServerUpload {
  uploadId: string;
  token: string;
  key: string;
  size: number | null;
  parts: Map<number, { size: number; etag: string }>;
  state: 'open' | 'completed' | 'aborted';
}

/** The upload server and the object store in one, in memory. */
export class FakeServer implements Transport {
  readonly partSize: number;
  readonly uploads = new Map<string, ServerUpload>();
  readonly calls: string[] = [];
  /** Refuse the next sign calls with this error. */
  signFailures: TesseraError[] = [];
  private count = 0;

  constructor(partSize = 10) {
    this.partSize = partSize;
  }

  /** An upload the server already has, with `stored` parts of `file` in the store. */
  async open(file: File, stored: number[]): Promise<ServerUpload> {
    const upload = this.start(file.name, file.size);
    for (const partNumber of stored) {
      const start = (partNumber - 1) * this.partSize;
      const body = file.slice(start, Math.min(file.size, start + this.partSize));
      upload.parts.set(partNumber, { size: body.size, etag: digest(await bytesOf(body)) });
    }
    return upload;
  }

  private start(fileName: string, size: number | null): ServerUpload {
    this.count += 1;
    const upload: ServerUpload = {
      uploadId: `upload-${this.count}`,
      token: `token-${this.count}`,
      key: `uploads/${this.count}/${fileName}`,
      size,
      parts: new Map(),
      state: 'open',
    };
    this.uploads.set(upload.uploadId, upload);
    return upload;
  }

  private find(ref: UploadRef): ServerUpload {
    const upload = this.uploads.get(ref.uploadId);
    if (!upload || upload.state !== 'open' || upload.token !== ref.token) {
      throw new TesseraError('upload-not-found', `no upload ${ref.uploadId}`, { status: 404 });
    }
    return upload;
  }

  async create(request: CreateUploadRequest) {
    this.calls.push(`create ${request.fileName}`);
    const size = request.size ?? null;
    const upload = this.start(request.fileName, size);
    return {
      uploadId: upload.uploadId,
      key: upload.key,
      partSize: this.partSize,
      partCount: size === null ? null : Math.max(1, Math.ceil(size / this.partSize)),
      size,
      token: upload.token,
      tokenExpiresAt: new Date(Date.now() + DAY_MS).toISOString(),
      checksumAlgorithm: 'md5' as const,
      maxSignBatch: 100,
    };
  }

  async sign(ref: UploadRef, parts: SignPartRequest[]) {
    this.calls.push(`sign ${ref.uploadId}`);
    const failure = this.signFailures.shift();
    if (failure) throw failure;
    const upload = this.find(ref);
    const expiresAt = new Date(Date.now() + DAY_MS).toISOString();
    return parts.map(({ partNumber }) => ({
      partNumber,
      url: `https://store.test/${upload.uploadId}/${partNumber}`,
      headers: {},
      expiresAt,
    }));
  }

  async listParts(ref: UploadRef) {
    this.calls.push(`list ${ref.uploadId}`);
    const upload = this.find(ref);
    return {
      uploadId: upload.uploadId,
      key: upload.key,
      partSize: this.partSize,
      partCount: upload.size === null ? null : Math.max(1, Math.ceil(upload.size / this.partSize)),
      size: upload.size,
      parts: [...upload.parts].sort(([a], [b]) => a - b).map(([partNumber, part]) => ({ partNumber, ...part })),
    };
  }

  async complete(ref: UploadRef, request: CompleteUploadRequest) {
    this.calls.push(`complete ${ref.uploadId}`);
    const upload = this.find(ref);
    upload.state = 'completed';
    const size = request.size ?? upload.size ?? 0;
    return { key: upload.key, size, etag: `etag-${upload.uploadId}`, partCount: request.parts.length };
  }

  async abort(ref: UploadRef) {
    this.calls.push(`abort ${ref.uploadId}`);
    this.find(ref).state = 'aborted';
  }

  /** What the store does with a part PUT. */
  async put(url: string, body: Blob): Promise<string> {
    const [uploadId = '', partNumber = ''] = new URL(url).pathname.split('/').slice(1);
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new Error(`PUT to unknown upload ${uploadId}`);
    const etag = digest(await bytesOf(body));
    upload.parts.set(Number(partNumber), { size: body.size, etag });
    return etag;
  }
}

/** Sends parts to the fake store; with `hold` set, parts wait (half sent) until `release()` or an abort. */
export class FakeUploader implements PartUploader {
  hold = false;
  /** Answer the next attempt of these parts with this failure. */
  readonly failures = new Map<number, PartFailure>();
  readonly attempts: number[] = [];
  readonly aborted: number[] = [];
  private readonly waiting = new Set<() => void>();

  constructor(private readonly server: FakeServer) {}

  get held(): number {
    return this.waiting.size;
  }

  upload(request: PartUploadRequest): Promise<PartUploadResult> {
    this.attempts.push(request.partNumber);
    const failure = this.failures.get(request.partNumber);
    if (failure) {
      this.failures.delete(request.partNumber);
      return Promise.resolve({ ok: false, failure });
    }
    const send = async (): Promise<PartUploadResult> => {
      request.onProgress?.(request.body.size);
      return { ok: true, etag: await this.server.put(request.url, request.body) };
    };
    if (!this.hold) return send();
    request.onProgress?.(Math.floor(request.body.size / 2));
    return new Promise((resolve) => {
      const release = () => {
        this.waiting.delete(release);
        resolve(send());
      };
      this.waiting.add(release);
      request.signal.addEventListener(
        'abort',
        () => {
          this.waiting.delete(release);
          this.aborted.push(request.partNumber);
          resolve({ ok: false, failure: { kind: 'aborted' } });
        },
        { once: true },
      );
    });
  }

  /** Let the part that has waited longest through. */
  releaseOne(): void {
    const [first] = this.waiting;
    first?.();
  }

  /** Let every waiting part through (new ones still wait while `hold` is set). */
  release(): void {
    for (const release of [...this.waiting]) release();
  }
}

export const onlineNetwork: NetworkStatus = { isOnline: () => true, subscribe: () => () => undefined };

/** Every port the engine needs, in memory, and the options that wire them. */
export function createTestPorts(partSize = 10) {
  const server = new FakeServer(partSize);
  const uploader = new FakeUploader(server);
  const hasher = createFakeHasher();
  const checkpoints = createMemoryCheckpointStore();
  // No lock: one page here; the lock's own behaviour is tested in core and in Chromium.
  const options: TesseraOptions = { transport: server, uploader, hasher, checkpoints, network: onlineNetwork, lock: null };
  return { server, uploader, hasher, checkpoints, options };
}

export type TestPorts = ReturnType<typeof createTestPorts>;

/**
 * An unfinished upload of `file` as an earlier visit would leave it: open on the server with the `stored`
 * parts, and remembered in the checkpoint store.
 */
export async function seedUnfinished(ports: TestPorts, file: File, stored: number[]): Promise<Checkpoint> {
  const upload = await ports.server.open(file, stored);
  const checkpoint = checkpointFor(ports, file, upload);
  const parts = [...upload.parts].map(([partNumber, part]) => ({ partNumber, ...part, checksum: null }));
  const saved: Checkpoint = {
    ...checkpoint,
    fingerprint: {
      name: file.name,
      size: file.size,
      lastModified: file.lastModified,
      headHash: await ports.hasher.sampleHash(file.slice(0, file.size)),
      tailHash: '',
    },
    parts,
  };
  await ports.checkpoints.save(saved);
  return saved;
}

/** A checkpoint for an upload the server does not have (gone since, or never created). */
export function checkpointFor(
  ports: TestPorts,
  file: File,
  upload: { uploadId: string; token: string; key: string },
): Checkpoint {
  const now = Date.now();
  return {
    version: 1,
    id: `checkpoint-${upload.uploadId}`,
    createdAt: now - 60_000,
    updatedAt: now - 30_000,
    endpoint: ENDPOINT,
    fingerprint: { name: file.name, size: file.size, lastModified: file.lastModified, headHash: 'x', tailHash: '' },
    fileName: file.name,
    contentType: file.type,
    size: file.size,
    uploadId: upload.uploadId,
    key: upload.key,
    token: upload.token,
    tokenExpiresAt: now + DAY_MS,
    partSize: ports.server.partSize,
    partCount: Math.max(1, Math.ceil(file.size / ports.server.partSize)),
    checksumAlgorithm: 'md5',
    parts: [],
    hashState: null,
    hashedThrough: 0,
    source: 'file',
    scope: null,
  };
}

export type { CheckpointStore };

/** A growing source (what a recording gives), fed by the test. */
export class FakeGrowingSource {
  readonly type = 'video/webm';
  readonly lastModified = 0;
  ended = false;
  private chunks: Uint8Array<ArrayBuffer>[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly id = 'recording-1',
    readonly name = 'recording.webm',
  ) {}

  get size(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  async slice(start: number, end: number): Promise<Blob> {
    return new Blob(this.chunks).slice(start, end);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async discard(): Promise<void> {}

  push(size: number): void {
    this.chunks.push(Uint8Array.from({ length: size }, (_, index) => (this.size + index) % 251));
    for (const listener of [...this.listeners]) listener();
  }

  end(): void {
    this.ended = true;
    for (const listener of [...this.listeners]) listener();
  }
}

/** A media track the test can end (as the browser's “Stop sharing” does). */
export class FakeTrack extends EventTarget {
  stopped = false;
  stop(): void {
    this.stopped = true;
  }
  end(): void {
    this.dispatchEvent(new Event('ended'));
  }
}

/** Enough of a `MediaRecorder` for the recorder component: state, start with a timeslice, stop. */
export class FakeRecorder extends EventTarget {
  state: 'inactive' | 'recording' = 'inactive';
  readonly mimeType = 'video/webm;codecs=vp9';
  timeslice: number | undefined;
  start(timeslice?: number): void {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  stop(): void {
    this.state = 'inactive';
    this.dispatchEvent(new Event('stop'));
  }
}

/** Capture that grants (or refuses) access, and records into {@link FakeRecorder}s. */
export function createFakeMedia({ supported = true, refuse }: { supported?: boolean; refuse?: string } = {}) {
  const track = new FakeTrack();
  const recorders: FakeRecorder[] = [];
  const requested: string[] = [];
  const media = {
    supports: () => supported,
    async getStream(kind: string) {
      requested.push(kind);
      if (refuse) throw new DOMException('refused', refuse);
      return { getTracks: () => [track] } as unknown as MediaStream;
    },
    createRecorder() {
      const recorder = new FakeRecorder();
      recorders.push(recorder);
      return recorder as unknown as MediaRecorder;
    },
  };
  return { media, track, recorders, requested };
}

/** Stands in for core's `fromMediaRecorder`: a growing source the test feeds, ended by the recorder's stop. */
export function createFakeRecordingSources() {
  const sources: FakeGrowingSource[] = [];
  const createSource = async (recorder: MediaRecorder) => {
    const source = new FakeGrowingSource(`recording-${sources.length + 1}`);
    sources.push(source);
    recorder.addEventListener('stop', () => source.end());
    return source;
  };
  return { createSource, sources };
}
