import {
  type Checkpoint,
  type CheckpointStore,
  checkUnfinishedUpload,
  findResumableUploads,
  type TesseraError,
  type Transport,
} from '@tessera/core';

/** An unfinished upload this browser remembers, as the server sees it now. */
export interface UnfinishedUpload {
  checkpoint: Checkpoint;
  /** Bytes the store holds (from ListParts; from the checkpoint when the server could not be asked). */
  storedBytes: number;
  /** Parts the store holds. */
  storedParts: number;
  /** Why the server could not confirm the upload (offline, say): it may still be resumable. */
  unverified: TesseraError | null;
}

/** Ports and scope of {@link listUnfinishedUploads}. */
export interface ListUnfinishedUploadsOptions {
  endpoint: string;
  checkpoints: CheckpointStore;
  transport: Transport;
  /** Wall-clock time, to skip checkpoints whose upload token has expired. */
  now: number;
  /** Only this scope's uploads (`UploadOptions.scope`, e.g. the signed-in user's id). @default the unscoped ones */
  scope?: string;
  signal?: AbortSignal;
}

const sum = (parts: ReadonlyArray<{ size: number }>) => parts.reduce((total, part) => total + part.size, 0);

/**
 * The checkpoints of picked files (recordings cannot be picked again) for `endpoint`, newest first, each
 * checked with the server's ListParts (core's `checkUnfinishedUpload`). Uploads the server says are gone
 * (`upload-not-found`, or an expired token) are left out and their checkpoints deleted; so are uploads it
 * says are completed (a tab closed while their complete was in flight): their completion is replayed
 * first, so the app's `onComplete` has run. One the server could not be asked about is kept, marked
 * `unverified`.
 *
 * @example
 * ```ts
 * const unfinished = await listUnfinishedUploads({ endpoint, checkpoints, transport, now: Date.now() });
 * ```
 */
export async function listUnfinishedUploads(options: ListUnfinishedUploadsOptions): Promise<UnfinishedUpload[]> {
  const { endpoint, checkpoints, transport, now, signal } = options;
  const { scope } = options;
  const found = await findResumableUploads({ checkpoints, endpoint, ...(scope !== undefined && { scope }) });
  const checked = await Promise.all(
    found
      .filter((checkpoint) => checkpoint.source === 'file')
      .map(async (checkpoint): Promise<UnfinishedUpload | null> => {
        const check = await checkUnfinishedUpload(checkpoint, { transport, checkpoints, now, signal });
        if (check.status === 'open') {
          return { checkpoint, storedBytes: sum(check.parts), storedParts: check.parts.length, unverified: null };
        }
        if (check.status === 'unverified') {
          const { parts } = checkpoint;
          return { checkpoint, storedBytes: sum(parts), storedParts: parts.length, unverified: check.error };
        }
        return null;
      }),
  );
  return checked.filter((item): item is UnfinishedUpload => item !== null);
}
