/**
 * The server adapter and the store in memory, with the completion semantics the real handler has: ListParts,
 * sign and abort of a completed upload answer `upload-completed`; a complete repeated with the same parts and
 * size answers as the first one did (a replay), anything else is refused with `upload-completed`. Holds many
 * uploads, for tests of what a reopened page finds.
 */
import { createHash } from 'node:crypto';
import { TesseraError } from '../src/errors.js';
import { hexToBase64 } from '../src/logic/integrity.js';
import type { PartUploader, PartUploadRequest, PartUploadResult, Transport, UploadRef } from '../src/ports.js';
import type {
  CompleteUploadRequest,
  CompleteUploadResponse,
  CreateUploadRequest,
  CreateUploadResponse,
  UploadedPart,
} from '../src/protocol.js';

const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

export interface FakeUpload {
  request: CreateUploadRequest;
  key: string;
  state: 'open' | 'completed' | 'aborted';
  parts: Map<number, UploadedPart & { bytes: Uint8Array }>;
  completed: CompleteUploadResponse | null;
  /** Bytes of the assembled object. */
  object: Uint8Array | null;
}

export class FakeUploadServer implements Transport {
  readonly uploads = new Map<string, FakeUpload>();
  readonly calls: string[] = [];
  /** Every call fails as a network failure would. */
  offline = false;
  /** Complete answers with a lost answer: the store assembles, the client hears a network failure. */
  loseCompleteAnswers = false;
  partSize: number;
  /** The error class thrown: a page that loaded the modules afresh has its own. */
  errorClass: typeof TesseraError = TesseraError;
  private counter = 0;

  constructor(
    readonly now: () => number,
    partSize = 10,
  ) {
    this.partSize = partSize;
  }

  private reach(call: string): void {
    this.calls.push(call);
    if (this.offline) throw new this.errorClass('network-error', 'offline', { retryable: true });
  }

  private find(ref: UploadRef): FakeUpload {
    const upload = this.uploads.get(ref.uploadId);
    if (upload === undefined || upload.state === 'aborted') {
      throw new this.errorClass('upload-not-found', 'no such upload', { status: 404 });
    }
    return upload;
  }

  private open(ref: UploadRef): FakeUpload {
    const upload = this.find(ref);
    if (upload.state === 'completed') throw new this.errorClass('upload-completed', 'this upload is already complete', { status: 409 });
    return upload;
  }

  async create(request: CreateUploadRequest): Promise<CreateUploadResponse> {
    this.reach('create');
    const uploadId = `upload-${++this.counter}`;
    const key = `uploads/test/${uploadId}/${request.fileName}`;
    this.uploads.set(uploadId, { request, key, state: 'open', parts: new Map(), completed: null, object: null });
    const size = request.size ?? null;
    return {
      uploadId,
      key,
      partSize: this.partSize,
      partCount: size === null ? null : Math.max(1, Math.ceil(size / this.partSize)),
      size,
      token: `token-${uploadId}`,
      tokenExpiresAt: new Date(this.now() + 86_400_000).toISOString(),
      checksumAlgorithm: 'md5',
      maxSignBatch: 100,
    };
  }

  async sign(ref: UploadRef, parts: Array<{ partNumber: number; checksum: string }>) {
    this.reach(`sign ${ref.uploadId}`);
    this.open(ref);
    const expiresAt = new Date(this.now() + 300_000).toISOString();
    return parts.map((part) => ({
      partNumber: part.partNumber,
      url: `https://store.test/${ref.uploadId}/${part.partNumber}`,
      headers: { 'content-md5': part.checksum },
      expiresAt,
    }));
  }

  async listParts(ref: UploadRef) {
    this.reach(`list ${ref.uploadId}`);
    const upload = this.open(ref);
    return {
      uploadId: ref.uploadId,
      key: upload.key,
      partSize: this.partSize,
      partCount: null,
      size: upload.request.size ?? null,
      parts: [...upload.parts.values()]
        .sort((a, b) => a.partNumber - b.partNumber)
        .map(({ partNumber, size, etag }) => ({ partNumber, size, etag })),
    };
  }

  async complete(ref: UploadRef, request: CompleteUploadRequest): Promise<CompleteUploadResponse> {
    this.reach(`complete ${ref.uploadId}`);
    const upload = this.find(ref);
    const size = request.size ?? upload.request.size ?? 0;
    if (upload.state === 'completed') {
      const first = upload.completed as CompleteUploadResponse;
      const same = size === first.size && request.parts.length === first.partCount &&
        request.parts.every((part) => upload.parts.get(part.partNumber)?.etag === part.etag);
      if (!same) throw new this.errorClass('upload-completed', 'this upload is already complete', { status: 409 });
      this.calls.push(`replayed ${ref.uploadId}`);
      return first;
    }
    const parts = request.parts.map((part) => {
      const stored = upload.parts.get(part.partNumber);
      if (stored?.etag !== part.etag) throw new this.errorClass('parts-missing', `part ${part.partNumber}`, { status: 400 });
      return stored;
    });
    const object = Buffer.concat(parts.map((part) => part.bytes));
    if (object.length !== size) throw new this.errorClass('size-mismatch', 'sizes differ', { status: 400 });
    const digests = Buffer.concat(parts.map((part) => Buffer.from(part.etag, 'hex')));
    upload.state = 'completed';
    upload.object = object;
    upload.completed = { key: upload.key, size, etag: `${md5Hex(digests)}-${parts.length}`, partCount: parts.length };
    if (this.loseCompleteAnswers) throw new this.errorClass('network-error', 'the answer was lost', { retryable: true });
    return upload.completed;
  }

  async abort(ref: UploadRef): Promise<void> {
    this.reach(`abort ${ref.uploadId}`);
    this.open(ref).state = 'aborted';
  }

  /** Store a part as a PUT to its URL would. */
  async put(request: PartUploadRequest): Promise<PartUploadResult> {
    const [, uploadId, partNumber] = new URL(request.url).pathname.split('/');
    const upload = this.uploads.get(uploadId ?? '');
    if (upload?.state !== 'open') return { ok: false, failure: { kind: 'http', status: 404 } };
    const bytes = new Uint8Array(await request.body.arrayBuffer());
    if (hexToBase64(md5Hex(bytes)) !== request.headers['content-md5']) {
      return { ok: false, failure: { kind: 'http', status: 400, body: '<Error><Code>BadDigest</Code></Error>' } };
    }
    const etag = md5Hex(bytes);
    upload.parts.set(Number(partNumber), { partNumber: Number(partNumber), size: bytes.length, etag, bytes });
    return { ok: true, etag };
  }

  /** Store `text` as a part of `uploadId`, as a tab would have: the checkpoint entry it would remember. */
  async storePart(uploadId: string, partNumber: number, text: string) {
    const checksum = hexToBase64(md5Hex(new TextEncoder().encode(text)));
    const put = await this.put({
      partNumber,
      url: `https://store.test/${uploadId}/${partNumber}`,
      headers: { 'content-md5': checksum },
      body: new Blob([text]),
      timeoutMs: 1,
      stallTimeoutMs: 1,
      signal: new AbortController().signal,
    });
    if (!put.ok) throw new Error(`part ${partNumber} of ${uploadId} was not stored`);
    return { partNumber, size: text.length, etag: put.etag, checksum };
  }

  /** A part uploader sending to this store. */
  uploader(): PartUploader {
    return { upload: (request) => this.put(request) };
  }
}
