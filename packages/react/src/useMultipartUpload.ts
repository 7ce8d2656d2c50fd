'use client';
import type { Checkpoint, TesseraError, Upload, UploadQueueOptions, UploadSource } from '@tessera/core';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { createUploadCollection } from './createUploadCollection.js';
import type { UnfinishedUpload } from './listUnfinishedUploads.js';
import { resolveUploadOptions } from './resolveUploadOptions.js';
import { useFinalCleanup } from './useFinalCleanup.js';
import { type ResumableUploadsQuery, useResumableUploads } from './useResumableUploads.js';
import { useTessera } from './useTessera.js';

/** Options of {@link useMultipartUpload}: core's queue options over the `TesseraProvider`'s. */
export interface UseMultipartUploadOptions extends Partial<UploadQueueOptions> {
  /** List unfinished uploads (checked with the server) in `resumable`. @default true */
  resumable?: boolean;
}

/** An unfinished upload, with the refusal of the last file picked for it, if that was another file. */
export interface ResumableItem extends UnfinishedUpload {
  mismatch: TesseraError | null;
}

/** Unfinished uploads of earlier visits, and how to take them up. */
export interface ResumableUploads extends Omit<ResumableUploadsQuery, 'items'> {
  /** Those not in `uploads` already, newest first. */
  items: readonly ResumableItem[];
  /** Continue `checkpoint` with the file picked again; the upload joins `uploads` and starts. */
  resume(checkpoint: Checkpoint, file: Blob | UploadSource): Upload;
}

/** What {@link useMultipartUpload} returns. Without an `id`, a control applies to every upload. */
export interface UseMultipartUploadResult {
  /** Changes only when uploads are added or removed; read each one's state with `useUpload`. */
  uploads: readonly Upload[];
  add(files: Iterable<Blob | UploadSource>): Upload[];
  start(id?: string): void;
  /** Pause; with `finishInFlight`, the parts being sent finish first (nothing is sent twice). */
  pause(id?: string, options?: { finishInFlight?: boolean }): void;
  resume(id?: string): void;
  abort(id?: string): void;
  retry(id?: string): void;
  remove(id: string): void;
  resumable: ResumableUploads;
}

/**
 * Multipart uploads for a component: files queue and upload through core (`createUploadQueue`), each one
 * an XState actor created once, in `add`, and never in render or an effect. The options are read once;
 * remount (a new `key`) to change them. Unmounting stops the actors; their checkpoints stay resumable.
 *
 * @example
 * ```tsx
 * const { uploads, add, pause, resumable } = useMultipartUpload({ endpoint: '/api/uploads' });
 * return <input type="file" multiple onChange={(event) => add(event.currentTarget.files ?? [])} />;
 * ```
 */
export function useMultipartUpload(options: UseMultipartUploadOptions = {}): UseMultipartUploadResult {
  const { resumable: listResumable, ...own } = options;
  const config = useTessera();
  const [collection] = useState(() => createUploadCollection(resolveUploadOptions(config, own)));
  const state = useSyncExternalStore(collection.subscribe, collection.getState, collection.getState);
  const query = useResumableUploads({
    endpoint: own.endpoint,
    checkpoints: own.checkpoints,
    transport: own.transport,
    headers: own.headers,
    enabled: listResumable !== false,
  });
  const { refetch } = query;
  useFinalCleanup(() => collection.stop());

  const controls = useMemo(
    () => ({
      add: (files: Iterable<Blob | UploadSource>) => collection.add(files),
      start: (id?: string) => collection.control('start', id),
      pause: (id?: string, options?: { finishInFlight?: boolean }) =>
        options?.finishInFlight ? collection.pauseFinishing(id) : collection.control('pause', id),
      resume: (id?: string) => collection.control('resume', id),
      abort: (id?: string) => collection.control('abort', id),
      retry: (id?: string) => collection.control('retry', id),
      // Once settled, list again: a removed upload that failed is resumable, an aborted one is gone.
      remove: (id: string) => void collection.remove(id).then(refetch),
    }),
    [collection, refetch],
  );

  const items = useMemo(() => {
    const present = new Set(state.uploads.map((upload) => upload.id));
    return query.items
      .filter((item) => !present.has(item.checkpoint.id))
      .map((item) => ({ ...item, mismatch: state.mismatches.get(item.checkpoint.id) ?? null }));
  }, [query.items, state]);

  return {
    uploads: state.uploads,
    ...controls,
    resumable: { ...query, items, resume: (checkpoint, file) => collection.resume(checkpoint, file) },
  };
}
