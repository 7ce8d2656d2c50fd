/** In-memory stand-ins for the ports, for machine tests (the real ones are tested against real servers). */
import { createHash } from 'node:crypto';
import { TesseraError } from '../src/errors.js';
import type { PartFailure } from '../src/logic/retryPolicy.js';
import type {
  NetworkStatus,
  PartUploader,
  PartUploadRequest,
  PartUploadResult,
  Transport,
} from '../src/ports.js';
import type {
  CompleteUploadRequest,
  CompleteUploadResponse,
  CreateUploadRequest,
  PartChecksumAlgorithm,
} from '../src/protocol.js';

export const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const md5Base64 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

/** Deterministic bytes. */
export function bytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + seed * 13) % 251);
}

/** A manually advanced wall clock (XState's SimulatedClock drives the machine's delays). */
export class ManualClock {
  time = 1_700_000_000_000;
  now = () => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** The server and the store in one: plans parts, signs URLs, holds parts, completes. */
export class FakeServer implements Transport {
  readonly calls: string[] = [];
  readonly completeRequests: CompleteUploadRequest[] = [];
  readonly stored = new Map<number, { etag: string; size: number; bytes: Uint8Array }>();
  partSize: number;
  size = 0;
  urlTtlMs = 300_000;
  completed: CompleteUploadResponse | null = null;
  aborted = false;
  /** When set, sign waits for this promise (to test aborting during signing). */
  signGate: Promise<void> | null = null;
  signFailures = 0;
  /** What create answers: the checksum each part must carry. */
  checksumAlgorithm: PartChecksumAlgorithm = 'md5';
  /** Every part checksum sign was asked for, in order. */
  readonly signedChecksums: string[] = [];

  constructor(
    readonly clock: ManualClock,
    partSize = 10,
  ) {
    this.partSize = partSize;
  }

  async create(request: CreateUploadRequest) {
    this.calls.push('create');
    this.size = request.size ?? 0;
    const known = request.size !== undefined;
    return {
      uploadId: 'upload-1',
      key: `uploads/test/${request.fileName}`,
      partSize: this.partSize,
      partCount: known ? Math.max(1, Math.ceil(this.size / this.partSize)) : null,
      size: known ? this.size : null,
      token: 'token-1',
      tokenExpiresAt: new Date(this.clock.now() + 86_400_000).toISOString(),
      checksumAlgorithm: this.checksumAlgorithm,
      maxSignBatch: 100,
    };
  }

  async sign(_upload: unknown, parts: Array<{ partNumber: number; size: number; checksum: string }>, signal?: AbortSignal) {
    this.calls.push(`sign ${parts.map((part) => part.partNumber).join(',')}`);
    if (this.signGate) {
      await Promise.race([
        this.signGate,
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
      ]);
    }
    if (this.signFailures > 0) {
      this.signFailures--;
      throw new TesseraError('store-error', 'sign failed', { retryable: true, status: 503 });
    }
    this.signedChecksums.push(...parts.map((part) => part.checksum));
    const expiresAt = new Date(this.clock.now() + this.urlTtlMs).toISOString();
    const none = this.checksumAlgorithm === 'none';
    return parts.map((part) => ({
      partNumber: part.partNumber,
      url: `https://store.test/part/${part.partNumber}?md5=${encodeURIComponent(part.checksum)}&exp=${expiresAt}`,
      headers: (none ? {} : { 'content-md5': part.checksum }) as Record<string, string>,
      expiresAt,
    }));
  }

  async listParts() {
    this.calls.push('list');
    if (this.aborted || this.completed) throw new TesseraError('upload-not-found', 'gone', { status: 404 });
    return {
      uploadId: 'upload-1',
      key: 'k',
      partSize: this.partSize,
      partCount: Math.max(1, Math.ceil(this.size / this.partSize)),
      size: this.size,
      parts: [...this.stored.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partNumber, part]) => ({ partNumber, size: part.size, etag: part.etag })),
    };
  }

  async complete(_upload: unknown, request: CompleteUploadRequest) {
    this.calls.push('complete');
    this.completeRequests.push(request);
    this.size = request.size ?? this.size;
    for (const part of request.parts) {
      if (this.stored.get(part.partNumber)?.etag !== part.etag) {
        throw new TesseraError('etag-mismatch', `part ${part.partNumber}`, { status: 409 });
      }
    }
    const digests = Buffer.concat(request.parts.map((part) => Buffer.from(part.etag, 'hex')));
    this.completed = { key: 'k', size: this.size, etag: `${md5Hex(digests)}-${request.parts.length}`, partCount: request.parts.length };
    return this.completed;
  }

  async abort() {
    this.calls.push('abort');
    this.aborted = true;
  }

  /** What the store would do with a PUT: check Content-MD5 and expiry, keep the part. */
  async put(request: PartUploadRequest): Promise<PartUploadResult> {
    const body = new Uint8Array(await request.body.arrayBuffer());
    const expires = Date.parse(new URL(request.url).searchParams.get('exp') ?? '');
    if (expires <= this.clock.now()) {
      return { ok: false, failure: { kind: 'http', status: 403, body: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>' } };
    }
    if (this.checksumAlgorithm !== 'none' && md5Base64(body) !== request.headers['content-md5']) {
      return { ok: false, failure: { kind: 'http', status: 400, body: '<Error><Code>BadDigest</Code></Error>' } };
    }
    const etag = md5Hex(body);
    this.stored.set(request.partNumber, { etag, size: body.length, bytes: body });
    return { ok: true, etag };
  }
}

/** What the scripted uploader does for one attempt. */
export type Step = 'ok' | 'hang' | PartFailure | ((request: PartUploadRequest) => Promise<PartUploadResult>);

/** A part uploader that follows a script per part (then succeeds), sending real bytes to the fake store. */
export class ScriptedUploader implements PartUploader {
  readonly attempts: number[] = [];
  readonly aborted: number[] = [];
  bytesSent = 0;
  constructor(
    readonly server: FakeServer,
    readonly script: Record<number, Step[]> = {},
  ) {}

  upload(request: PartUploadRequest): Promise<PartUploadResult> {
    this.attempts.push(request.partNumber);
    const step = this.script[request.partNumber]?.shift() ?? 'ok';
    if (step === 'hang') {
      return new Promise((resolve) =>
        request.signal.addEventListener('abort', () => {
          this.aborted.push(request.partNumber);
          resolve({ ok: false, failure: { kind: 'aborted' } });
        }),
      );
    }
    if (typeof step === 'function') return step(request);
    if (step !== 'ok') return Promise.resolve({ ok: false, failure: step });
    this.bytesSent += request.body.size;
    request.onProgress?.(request.body.size);
    return this.server.put(request);
  }
}

export class FakeNetwork implements NetworkStatus {
  online = true;
  private readonly listeners = new Set<(online: boolean) => void>();
  isOnline = () => this.online;
  subscribe(listener: (online: boolean) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(online: boolean): void {
    this.online = online;
    for (const listener of this.listeners) listener(online);
  }
}

/** A growing source (like a recording) fed by the test. */
export class FakeGrowingSource {
  readonly name = 'rec.webm';
  readonly type = 'video/webm';
  readonly lastModified = 0;
  readonly id = 'rec-1';
  ended = false;
  private chunks: Uint8Array[] = [];
  private readonly listeners = new Set<() => void>();
  get size(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
  async slice(start: number, end: number): Promise<Blob> {
    return new Blob([this.bytes().slice(start, end)]);
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async discard(): Promise<void> {}
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    for (const listener of this.listeners) listener();
  }
  end(): void {
    this.ended = true;
    for (const listener of this.listeners) listener();
  }
}
