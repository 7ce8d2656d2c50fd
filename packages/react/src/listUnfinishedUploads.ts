import {
  type Checkpoint,
  type CheckpointStore,
  findResumableUploads,
  isTesseraError,
  TesseraError,
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
  signal?: AbortSignal;
}

// Answers that mean the upload can never be taken up again.
const GONE = ['upload-not-found', 'token-expired'] as const;

const sum = (parts: ReadonlyArray<{ size: number }>) => parts.reduce((total, part) => total + part.size, 0);

/**
 * The checkpoints of picked files (recordings cannot be picked again) for `endpoint`, newest first, each
 * checked with the server's ListParts. Uploads the server says are gone (`upload-not-found`, or an expired
 * token) are left out and their checkpoints deleted; one the server could not be asked about is kept,
 * marked `unverified`.
 *
 * @example
 * ```ts
 * const unfinished = await listUnfinishedUploads({ endpoint, checkpoints, transport, now: Date.now() });
 * ```
 */
export async function listUnfinishedUploads(options: ListUnfinishedUploadsOptions): Promise<UnfinishedUpload[]> {
  const { endpoint, checkpoints, transport, now, signal } = options;
  const found = await findResumableUploads({ checkpoints, endpoint });
  const forget = async (checkpoint: Checkpoint) => {
    // Best effort: the list is right either way, and a later listing tries again.
    await checkpoints.delete(checkpoint.id).catch(() => undefined);
    return null;
  };
  const checked = await Promise.all(
    found
      .filter((checkpoint) => checkpoint.source === 'file')
      .map(async (checkpoint): Promise<UnfinishedUpload | null> => {
        if (checkpoint.tokenExpiresAt <= now) return forget(checkpoint);
        try {
          const listed = await transport.listParts({ uploadId: checkpoint.uploadId, token: checkpoint.token }, signal);
          return { checkpoint, storedBytes: sum(listed.parts), storedParts: listed.parts.length, unverified: null };
        } catch (error) {
          if (GONE.some((code) => isTesseraError(error, code))) return forget(checkpoint);
          signal?.throwIfAborted();
          const unverified = isTesseraError(error)
            ? error
            : new TesseraError('internal-error', 'could not check the upload', { cause: error });
          return { checkpoint, storedBytes: sum(checkpoint.parts), storedParts: checkpoint.parts.length, unverified };
        }
      }),
  );
  return checked.filter((item): item is UnfinishedUpload => item !== null);
}
