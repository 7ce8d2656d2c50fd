import { createUpload, type Upload, type UploadOptions } from './createUpload.js';
import type { UploadSource } from './session.js';
import { createSlotPool } from './slotPool.js';
import type { UploadSnapshot } from './snapshot.js';

/** Options of {@link createUploadQueue}: upload options shared by every file, plus the queue's limits. */
export interface UploadQueueOptions extends Omit<UploadOptions, 'source' | 'id' | 'autoStart'> {
  /** Parts in flight across all uploads of the queue. @default 4 */
  concurrency?: number;
  /** Uploads started (created on the server) at once. @default concurrency */
  maxActiveUploads?: number;
}

/** Many uploads, sharing one limit on parts in flight. */
export interface UploadQueue {
  /** Queue files; they start as slots allow. */
  add(sources: Iterable<Blob | UploadSource>): Upload[];
  readonly uploads: readonly Upload[];
  remove(id: string): void;
  pauseAll(): void;
  resumeAll(): void;
  abortAll(): void;
  /** Called whenever any upload changes; returns an unsubscribe function. */
  subscribe(listener: (snapshots: UploadSnapshot[]) => void): () => void;
}

const SETTLED = new Set(['completed', 'aborted', 'failed']);

/**
 * @example
 * ```ts
 * const queue = createUploadQueue({ endpoint: '/api/uploads', concurrency: 6 });
 * queue.subscribe((uploads) => render(uploads));
 * queue.add(input.files ?? []);
 * ```
 */
export function createUploadQueue(options: UploadQueueOptions): UploadQueue {
  const concurrency = options.concurrency ?? 4;
  const maxActive = options.maxActiveUploads ?? concurrency;
  const slots = createSlotPool(concurrency);
  let uploads: Upload[] = [];
  const listeners = new Set<(snapshots: UploadSnapshot[]) => void>();
  const notify = () => {
    const snapshots = uploads.map((upload) => upload.getSnapshot());
    for (const listener of listeners) listener(snapshots);
  };

  const pump = () => {
    const running = uploads.filter((upload) => !['idle', ...SETTLED].includes(upload.getSnapshot().status));
    const waiting = uploads.filter((upload) => upload.getSnapshot().status === 'idle');
    for (const upload of waiting.slice(0, Math.max(0, maxActive - running.length))) upload.start();
  };

  return {
    add(sources) {
      const added = [...sources].map((source) => {
        const upload = createUpload({ ...options, source, concurrency, slots } as UploadOptions);
        upload.subscribe((snapshot) => {
          if (SETTLED.has(snapshot.status)) pump();
          notify();
        });
        return upload;
      });
      uploads = [...uploads, ...added];
      pump();
      notify();
      return added;
    },
    get uploads() {
      return uploads;
    },
    remove(id) {
      const upload = uploads.find((candidate) => candidate.id === id);
      if (!upload) return;
      if (!SETTLED.has(upload.getSnapshot().status)) upload.abort();
      uploads = uploads.filter((candidate) => candidate !== upload);
      pump();
      notify();
    },
    pauseAll: () => uploads.forEach((upload) => upload.pause()),
    resumeAll: () => uploads.forEach((upload) => upload.resume()),
    abortAll: () => uploads.forEach((upload) => upload.abort()),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
