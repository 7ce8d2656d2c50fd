import {
  type Checkpoint,
  createUploadQueue,
  isTesseraError,
  resumeUpload,
  type TesseraError,
  type Upload,
  type UploadQueueOptions,
  type UploadSource,
} from '@tessera/core';

/** What an {@link UploadCollection} holds; replaced (never changed) when membership changes. */
export interface UploadCollectionState {
  /** In the order they were added. Progress does not change this array: read it from each upload. */
  readonly uploads: readonly Upload[];
  /** Resumes refused because the file picked was another one (`fingerprint-mismatch`), by checkpoint id. */
  readonly mismatches: ReadonlyMap<string, TesseraError>;
}

/** The uploads one `useMultipartUpload` owns, as a store React can subscribe to. */
export interface UploadCollection {
  getState(): UploadCollectionState;
  /** Called when uploads are added or removed (not on progress). Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Queue files; they start as the queue's limits allow. */
  add(sources: Iterable<Blob | UploadSource>): Upload[];
  /**
   * Take up an unfinished upload with the file picked again. An upload of the same checkpoint that is still
   * running is returned as it is; a failed one is replaced. A different file is refused by core with
   * `fingerprint-mismatch`: the attempt then leaves the list and the error waits in `mismatches`.
   */
  resume(checkpoint: Checkpoint, source: Blob | UploadSource): Upload;
  /** Send a control to the upload with `id`, or to every upload. */
  control(command: 'start' | 'pause' | 'resume' | 'abort' | 'retry', id?: string): void;
  /** Pause the upload with `id` (or every upload), letting the parts in flight finish first. */
  pauseFinishing(id?: string): void;
  /** Cancel (when still running) and forget an upload. Resolves once it has settled (been aborted). */
  remove(id: string): Promise<void>;
  /** Stop every actor (the owner is gone). Checkpoints stay, so unfinished uploads can be resumed later. */
  stop(): void;
}

const SETTLED = new Set(['completed', 'aborted', 'failed']);

/**
 * A store over core's `createUploadQueue` (fresh files, sharing its part slots) and `resumeUpload`
 * (resumed ones). Holds no upload logic: order, membership and resume refusals only.
 *
 * @example
 * ```ts
 * const collection = createUploadCollection({ endpoint: '/api/uploads' });
 * collection.subscribe(() => render(collection.getState().uploads));
 * collection.add(input.files ?? []);
 * ```
 */
export function createUploadCollection(options: UploadQueueOptions): UploadCollection {
  const queue = createUploadQueue(options);
  const queued = new Set<Upload>();
  const listeners = new Set<() => void>();
  let state: UploadCollectionState = { uploads: [], mismatches: new Map() };

  const update = (uploads: readonly Upload[], mismatches = state.mismatches) => {
    state = { uploads, mismatches };
    for (const listener of [...listeners]) listener();
  };
  const without = (id: string) => {
    const mismatches = new Map(state.mismatches);
    mismatches.delete(id);
    return mismatches;
  };

  const collection: UploadCollection = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add(sources) {
      const added = queue.add(sources);
      for (const upload of added) queued.add(upload);
      if (added.length > 0) update([...state.uploads, ...added]);
      return added;
    },
    resume(checkpoint, source) {
      const existing = state.uploads.find((upload) => upload.id === checkpoint.id);
      if (existing && existing.getSnapshot().status !== 'failed') return existing;
      if (existing) void collection.remove(existing.id);
      const upload = resumeUpload(checkpoint, { ...options, source, autoStart: true });
      update([...state.uploads, upload], without(checkpoint.id));
      upload.done().catch((error: unknown) => {
        if (!isTesseraError(error, 'fingerprint-mismatch') || !state.uploads.includes(upload)) return;
        upload.actor.stop();
        const mismatches = new Map(state.mismatches).set(checkpoint.id, error);
        update(
          state.uploads.filter((candidate) => candidate !== upload),
          mismatches,
        );
      });
      return upload;
    },
    control(command, id) {
      for (const upload of state.uploads) if (id === undefined || upload.id === id) upload[command]();
    },
    pauseFinishing(id) {
      for (const upload of state.uploads) if (id === undefined || upload.id === id) upload.pause({ finishInFlight: true });
    },
    async remove(id) {
      const upload = state.uploads.find((candidate) => candidate.id === id);
      if (!upload) return;
      if (queued.delete(upload)) queue.remove(id);
      else if (!SETTLED.has(upload.getSnapshot().status)) upload.abort();
      update(state.uploads.filter((candidate) => candidate !== upload));
      await upload.done().then(
        () => undefined,
        () => undefined,
      );
    },
    stop() {
      for (const upload of state.uploads) upload.actor.stop();
    },
  };
  return collection;
}
