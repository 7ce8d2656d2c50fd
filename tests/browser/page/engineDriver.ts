/**
 * Drives `@tessera/core` on the test page with its browser defaults (XHR uploads, worker hashing, IndexedDB
 * checkpoints, browser network events). The part uploader is wrapped to count bytes across page loads (in
 * localStorage, so a reload does not forget them) and, on request, to damage a part's first body.
 */
import * as core from '@tessera/core';
import { patternChunk } from '../../support/pattern.js';

export interface EngineRunOptions {
  /** Where the handler is mounted: a path on the page's origin, or an absolute URL on another origin. */
  endpoint: string;
  /** Extra headers for the calls to the handler (the engine's `headers` option), e.g. `authorization`. */
  headers?: Record<string, string>;
  concurrency?: number;
  stallTimeoutMs?: number;
  retry?: Partial<core.RetryOptions>;
  /** Parts whose first PUT carries damaged bytes (the store must refuse them). */
  corruptOnce?: number[];
  /** Deadlines of the calls to the handler (the engine's `serverTimeouts`). */
  serverTimeouts?: core.UploadOptions['serverTimeouts'];
  /** How failed calls to the handler are retried (the engine's `serverRetry`). */
  serverRetry?: core.UploadOptions['serverRetry'];
}

export interface EngineState {
  id: string;
  /** The store's multipart upload id, once created. */
  uploadId: string | null;
  status: core.UploadStatus;
  fraction: number | null;
  uploadedBytes: number;
  doneParts: number;
  parts: Array<{ partNumber: number; status: string; attempt: number; reason: string | null }>;
  error: { code: string; message: string; partNumber?: number; status?: number } | null;
  result: { key: string; size: number; etag: string; sha256: string | null } | null;
  /** Every status this upload has been in, in order. */
  history: string[];
}

export interface PutRecord {
  partNumber: number;
  ok: boolean;
  failure: string | null;
}

/** A call to the handler the engine retried (its `onServerRetry`). */
export interface ServerRetryRecord {
  /** The upload's local id. */
  id: string;
  call: core.ServerCall;
  code: string;
  status: number | null;
}

const SENT_KEY = 'tessera-test-bytes-sent';
const RECORDED_KEY = 'tessera-test-bytes-recorded';

/** How a test recording is fed: `chunkBytes` every `intervalMs` until `totalBytes`, then (maybe) ended. */
export interface FeedOptions {
  seed: number;
  chunkBytes: number;
  intervalMs: number;
  totalBytes: number;
  /** Mark the recording ended once `totalBytes` are in. @default true */
  end?: boolean;
}

/** Parts completed when the recording ended, per upload. */
const doneWhenEnded = new Map<string, number>();
const uploads = new Map<string, core.Upload>();
const histories = new Map<string, string[]>();
const putLog: PutRecord[] = [];
const serverRetryLog: ServerRetryRecord[] = [];

function countingUploader(corruptOnce: number[]): core.PartUploader {
  const inner = core.createXhrPartUploader();
  const damaged = new Set<number>();
  return {
    async upload(request) {
      localStorage.setItem(SENT_KEY, String(bytesSent() + request.body.size));
      let body = request.body;
      if (corruptOnce.includes(request.partNumber) && !damaged.has(request.partNumber)) {
        damaged.add(request.partNumber);
        const bytes = new Uint8Array(await body.arrayBuffer());
        bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
        body = new Blob([bytes]);
      }
      const result = await inner.upload({ ...request, body });
      putLog.push({
        partNumber: request.partNumber,
        ok: result.ok,
        failure: result.ok ? null : result.failure.kind === 'http' ? `http ${result.failure.status}` : result.failure.kind,
      });
      return result;
    },
  };
}

function track(upload: core.Upload): string {
  uploads.set(upload.id, upload);
  const history: string[] = [];
  histories.set(upload.id, history);
  upload.subscribe((snapshot) => {
    if (history[history.length - 1] !== snapshot.status) history.push(snapshot.status);
  });
  upload.start();
  return upload.id;
}

function options(source: Blob | core.UploadSource, run: EngineRunOptions, id?: string): core.UploadOptions {
  // The upload's local id is fixed here, so that its server retries can be told apart from other uploads'.
  const uploadId = id ?? ('id' in source && typeof source.id === 'string' ? source.id : crypto.randomUUID());
  return {
    source,
    endpoint: run.endpoint,
    id: uploadId,
    uploader: countingUploader(run.corruptOnce ?? []),
    onServerRetry: (retry) =>
      serverRetryLog.push({ id: uploadId, call: retry.call, code: retry.error.code, status: retry.error.status ?? null }),
    ...(run.concurrency !== undefined && { concurrency: run.concurrency }),
    ...(run.stallTimeoutMs !== undefined && { stallTimeoutMs: run.stallTimeoutMs }),
    ...(run.retry && { retry: run.retry }),
    ...(run.headers && { headers: () => ({ ...run.headers }) }),
    ...(run.serverTimeouts && { serverTimeouts: run.serverTimeouts }),
    ...(run.serverRetry && { serverRetry: run.serverRetry }),
  };
}

export function bytesSent(): number {
  return Number(localStorage.getItem(SENT_KEY) ?? 0);
}

async function feed(source: core.RecordingSource, uploadId: string, options: FeedOptions): Promise<void> {
  for (let index = 0; source.size < options.totalBytes; index++) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    const size = Math.min(options.chunkBytes, options.totalBytes - source.size);
    await source.append(new Blob([patternChunk(options.seed, index, size)]));
    // Durable now: a reload from here on must not lose these bytes.
    localStorage.setItem(RECORDED_KEY, String(source.size));
  }
  if (options.end ?? true) {
    doneWhenEnded.set(uploadId, uploads.get(uploadId)?.getSnapshot().parts.filter((p) => p.status === 'done').length ?? 0);
    await source.markEnded();
  }
}

export const engineDriver = {
  /** Record `feed.totalBytes` of pattern bytes over time into a persisted recording, uploading as it grows. */
  async startRecording(run: EngineRunOptions, feeding: FeedOptions): Promise<string> {
    const buffer = await core.openRecordingBuffer(crypto.randomUUID());
    const source = core.growingSource(buffer, { name: 'recording.webm', type: 'video/webm' });
    const id = track(core.createUpload(options(source, run)));
    void feed(source, id, feeding);
    return id;
  },
  /** After a reload: reopen the persisted recording and take up its upload. */
  async resumeRecording(run: EngineRunOptions): Promise<{ id: string; storage: string; size: number }> {
    const [recordingId] = await core.listRecordings();
    if (!recordingId) throw new Error('no persisted recording');
    const checkpoint = (await core.findResumableUploads({ endpoint: run.endpoint })).find((c) => c.id === recordingId);
    if (!checkpoint) throw new Error('no checkpoint for the recording');
    const source = await core.reopenRecording(recordingId, { name: checkpoint.fileName, type: checkpoint.contentType });
    const id = track(core.resumeUpload(checkpoint, options(source, run, checkpoint.id)));
    return { id, storage: (await core.openRecordingBuffer(recordingId, { create: false })).storage, size: source.size };
  },
  /** Start an upload of a file written to OPFS, keeping its handle (as `showOpenFilePicker` would give). */
  async startWithHandle(run: EngineRunOptions, file: { seed: number; chunkBytes: number; size: number }): Promise<string> {
    const directory = await navigator.storage.getDirectory();
    const handle = await directory.getFileHandle('kept.bin', { create: true });
    const writable = await handle.createWritable();
    for (let index = 0, written = 0; written < file.size; index++) {
      const chunk = patternChunk(file.seed, index, Math.min(file.chunkBytes, file.size - written));
      await writable.write(chunk);
      written += chunk.length;
    }
    await writable.close();
    return track(core.createUpload({ ...options(await handle.getFile(), run), fileHandle: handle }));
  },
  /** After a reload: resume with the kept handle, without picking the file. */
  async resumeWithKeptFile(run: EngineRunOptions): Promise<string> {
    const [checkpoint] = await core.findResumableUploads({ endpoint: run.endpoint });
    if (!checkpoint) throw new Error('no unfinished upload');
    const { source: _unused, ...rest } = options(new Blob(), run, checkpoint.id);
    const upload = await core.resumeWithKeptFile(checkpoint, rest);
    if (!upload) throw new Error('the kept file handle gave no file');
    return track(upload);
  },
  recordedBytes: () => Number(localStorage.getItem(RECORDED_KEY) ?? 0),
  doneWhenEnded: (id: string) => doneWhenEnded.get(id) ?? null,
  start: (file: File, run: EngineRunOptions) => track(core.createUpload(options(file, run))),
  /** Take up the newest unfinished upload this browser remembers, with a re-picked file. */
  async resumeLatest(file: File, run: EngineRunOptions): Promise<string> {
    const [checkpoint] = await core.findResumableUploads({ endpoint: run.endpoint });
    if (!checkpoint) throw new Error('no unfinished upload to resume');
    return track(core.resumeUpload(checkpoint, options(file, run, checkpoint.id)));
  },
  resumable: async (endpoint: string) =>
    (await core.findResumableUploads({ endpoint })).map((checkpoint) => ({
      id: checkpoint.id,
      fileName: checkpoint.fileName,
      parts: checkpoint.parts.length,
    })),
  pause: (id: string) => uploads.get(id)?.pause(),
  resume: (id: string) => uploads.get(id)?.resume(),
  state(id: string): EngineState {
    const upload = uploads.get(id);
    if (!upload) throw new Error(`no upload ${id}`);
    const snapshot = upload.getSnapshot();
    return {
      id,
      uploadId: snapshot.uploadId,
      status: snapshot.status,
      fraction: snapshot.progress.fraction,
      uploadedBytes: snapshot.progress.uploadedBytes,
      doneParts: snapshot.parts.filter((part) => part.status === 'done').length,
      parts: snapshot.parts.map(({ partNumber, status, attempt, reason }) => ({ partNumber, status, attempt, reason })),
      error: snapshot.error && {
        code: snapshot.error.code,
        message: snapshot.error.message,
        ...(snapshot.error.partNumber !== undefined && { partNumber: snapshot.error.partNumber }),
        ...(snapshot.error.status !== undefined && { status: snapshot.error.status }),
      },
      result: snapshot.result && {
        key: snapshot.result.key,
        size: snapshot.result.size,
        etag: snapshot.result.etag,
        sha256: snapshot.result.sha256,
      },
      history: [...(histories.get(id) ?? [])],
    };
  },
  bytesSent,
  resetCounters: () => {
    localStorage.removeItem(SENT_KEY);
    localStorage.removeItem(RECORDED_KEY);
  },
  putLog: () => [...putLog],
  /** Every call to the handler the engine retried on this page, in order. */
  serverRetries: () => [...serverRetryLog],
  /** Whether the page loaded core's hash worker (hashing ran off the main thread). */
  hashWorkerLoaded: () =>
    performance.getEntriesByType('resource').some((entry) => entry.name.includes('hash.worker')),
  /** Whether the checkpoint store's code (localforage) was requested before the first part PUT. */
  checkpointStoreBeforeFirstPut: () => {
    const entries = performance.getEntriesByType('resource');
    const storeCode = entries.find((entry) => entry.name.includes('localforage'));
    const firstPut = entries.find((entry) => entry.name.includes('partNumber='));
    return storeCode !== undefined && firstPut !== undefined && storeCode.startTime < firstPut.startTime;
  },
};

export type EngineDriver = typeof engineDriver;
