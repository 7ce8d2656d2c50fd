/**
 * P4: Tessera with its browser defaults, its part uploader wrapped only to log each PUT (page load, part,
 * size, start time) in localStorage, which a reload keeps.
 */
import { createUpload, createXhrPartUploader, findResumableUploads, type PartUploader, resumeUpload, type Upload } from '@tessera/core';
import { benchConfig } from './benchApi.js';
import type { BenchPage, PartAttempt, TesseraProgress } from './pageTypes.js';

const LOG_KEY = 'tessera-bench-attempts';
const LOAD_KEY = 'tessera-bench-load';
const load = Number(localStorage.getItem(LOAD_KEY) ?? 0) + 1;
localStorage.setItem(LOAD_KEY, String(load));
let current: Upload | undefined;
let resumeCalledAt: number | null = null;

function attempts(): PartAttempt[] {
  return JSON.parse(localStorage.getItem(LOG_KEY) ?? '[]') as PartAttempt[];
}

function loggingUploader(): PartUploader {
  const inner = createXhrPartUploader();
  return {
    upload(request) {
      const attempt: PartAttempt = { load, partNumber: request.partNumber, size: request.body.size, at: performance.now() };
      localStorage.setItem(LOG_KEY, JSON.stringify([...attempts(), attempt]));
      return inner.upload(request);
    },
  };
}

function pickedFile(): File {
  const file = document.querySelector<HTMLInputElement>('#file')?.files?.[0];
  if (!file) throw new Error('no file picked');
  return file;
}

export const resumeDriver: BenchPage['resume'] = {
  start(concurrency) {
    // The endpoint is the handler's default mount; benchConfig() is not needed to start.
    current = createUpload({ source: pickedFile(), endpoint: '/api/uploads', concurrency, uploader: loggingUploader() });
    current.start();
    return current.id;
  },
  async resumeLatest(concurrency) {
    resumeCalledAt = performance.now();
    const { endpoint } = await benchConfig();
    const [checkpoint] = await findResumableUploads({ endpoint });
    if (!checkpoint) throw new Error('no unfinished upload to resume');
    current = resumeUpload(checkpoint, { source: pickedFile(), endpoint, concurrency, uploader: loggingUploader() });
    current.start();
    return current.id;
  },
  progress(): TesseraProgress {
    if (!current) throw new Error('no upload');
    const snapshot = current.getSnapshot();
    return {
      status: snapshot.status,
      uploadedBytes: snapshot.progress.uploadedBytes,
      doneParts: snapshot.parts.filter((part) => part.status === 'done').length,
      error: snapshot.error ? `${snapshot.error.code}: ${snapshot.error.message}` : null,
      result: snapshot.result && { key: snapshot.result.key, size: snapshot.result.size },
    };
  },
  attempts,
  load: () => load,
  resumeCalledAt: () => resumeCalledAt,
  reset() {
    localStorage.removeItem(LOG_KEY);
    localStorage.removeItem(LOAD_KEY);
  },
};
