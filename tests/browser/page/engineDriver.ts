/**
 * Drives `@tessera/core` on the test page with its browser defaults (XHR uploads, worker hashing, IndexedDB
 * checkpoints, browser network events). The part uploader is wrapped to count bytes across page loads (in
 * localStorage, so a reload does not forget them) and, on request, to damage a part's first body.
 */
import * as core from '@tessera/core';

export interface EngineRunOptions {
  endpoint: string;
  concurrency?: number;
  stallTimeoutMs?: number;
  retry?: Partial<core.RetryOptions>;
  /** Parts whose first PUT carries damaged bytes (the store must refuse them). */
  corruptOnce?: number[];
}

export interface EngineState {
  id: string;
  status: core.UploadStatus;
  fraction: number | null;
  uploadedBytes: number;
  doneParts: number;
  parts: Array<{ partNumber: number; status: string; attempt: number; reason: string | null }>;
  error: { code: string; message: string; partNumber?: number } | null;
  result: { key: string; size: number; etag: string; sha256: string } | null;
  /** Every status this upload has been in, in order. */
  history: string[];
}

export interface PutRecord {
  partNumber: number;
  ok: boolean;
  failure: string | null;
}

const SENT_KEY = 'tessera-test-bytes-sent';
const uploads = new Map<string, core.Upload>();
const histories = new Map<string, string[]>();
const putLog: PutRecord[] = [];

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

function options(source: File, run: EngineRunOptions): core.UploadOptions {
  return {
    source,
    endpoint: run.endpoint,
    uploader: countingUploader(run.corruptOnce ?? []),
    ...(run.concurrency !== undefined && { concurrency: run.concurrency }),
    ...(run.stallTimeoutMs !== undefined && { stallTimeoutMs: run.stallTimeoutMs }),
    ...(run.retry && { retry: run.retry }),
  };
}

export function bytesSent(): number {
  return Number(localStorage.getItem(SENT_KEY) ?? 0);
}

export const engineDriver = {
  start: (file: File, run: EngineRunOptions) => track(core.createUpload(options(file, run))),
  /** Take up the newest unfinished upload this browser remembers, with a re-picked file. */
  async resumeLatest(file: File, run: EngineRunOptions): Promise<string> {
    const [checkpoint] = await core.findResumableUploads({ endpoint: run.endpoint });
    if (!checkpoint) throw new Error('no unfinished upload to resume');
    return track(core.resumeUpload(checkpoint, options(file, run)));
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
      status: snapshot.status,
      fraction: snapshot.progress.fraction,
      uploadedBytes: snapshot.progress.uploadedBytes,
      doneParts: snapshot.parts.filter((part) => part.status === 'done').length,
      parts: snapshot.parts.map(({ partNumber, status, attempt, reason }) => ({ partNumber, status, attempt, reason })),
      error: snapshot.error && {
        code: snapshot.error.code,
        message: snapshot.error.message,
        ...(snapshot.error.partNumber !== undefined && { partNumber: snapshot.error.partNumber }),
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
  resetCounters: () => localStorage.removeItem(SENT_KEY),
  putLog: () => [...putLog],
  /** Whether the page loaded core's hash worker (hashing ran off the main thread). */
  hashWorkerLoaded: () =>
    performance.getEntriesByType('resource').some((entry) => entry.name.includes('hash.worker')),
};

export type EngineDriver = typeof engineDriver;
