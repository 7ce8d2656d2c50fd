import { isTesseraError, TesseraError } from '../errors.js';
import type { Checkpoint } from '../logic/checkpoint.js';
import type { CheckpointStore, Transport } from '../ports.js';
import type { UploadedPart } from '../protocol.js';
import { replayCompletion, type ReplayOutcome } from './replayCompletion.js';

/** What the server says of an unfinished upload this browser remembers (see {@link checkUnfinishedUpload}). */
export type UnfinishedUploadCheck =
  /** Open: it can be resumed; `parts` are the ones the store holds. */
  | { status: 'open'; parts: UploadedPart[] }
  /** The server could not be asked (offline, say): it may still be resumable. */
  | { status: 'unverified'; error: TesseraError }
  /** Completed already (its complete's answer was lost): not resumable; see `replay` for the checkpoint. */
  | { status: 'completed'; replay: ReplayOutcome }
  /** Gone (aborted, swept, or its token expired): never resumable; its checkpoint was deleted. */
  | { status: 'gone'; reason: TesseraError }

/** Ports and time of {@link checkUnfinishedUpload}. */
export interface CheckUnfinishedUploadOptions {
  transport: Transport;
  checkpoints: CheckpointStore;
  /** Wall-clock time, to recognise a checkpoint whose upload token has expired without asking. */
  now: number;
  signal?: AbortSignal;
}

// Answers that mean the upload can never be taken up again.
const GONE = ['upload-not-found', 'token-expired'] as const;

/**
 * Ask the server (ListParts) what became of the upload `checkpoint` names, and settle what needs no user: a
 * gone upload's checkpoint is deleted; a completed one's completion is replayed and its checkpoint deleted
 * ({@link replayCompletion}), so it is never offered for resume nor reported as failed. Rejects only when
 * `signal` aborts.
 *
 * @example
 * ```ts
 * const check = await checkUnfinishedUpload(checkpoint, { transport, checkpoints, now: Date.now() });
 * if (check.status === 'open' || check.status === 'unverified') offer(checkpoint);
 * ```
 */
export async function checkUnfinishedUpload(
  checkpoint: Checkpoint,
  options: CheckUnfinishedUploadOptions,
): Promise<UnfinishedUploadCheck> {
  const { transport, checkpoints, now, signal } = options;
  const gone = async (reason: TesseraError): Promise<UnfinishedUploadCheck> => {
    // Best effort: the answer is right either way, and a later check tries again.
    await checkpoints.delete(checkpoint.id).catch(() => undefined);
    return { status: 'gone', reason };
  };
  if (checkpoint.tokenExpiresAt <= now) return gone(new TesseraError('token-expired', 'the upload token has expired'));
  try {
    const listed = await transport.listParts({ uploadId: checkpoint.uploadId, token: checkpoint.token }, signal);
    return { status: 'open', parts: listed.parts };
  } catch (error) {
    signal?.throwIfAborted();
    if (isTesseraError(error, 'upload-completed')) {
      return { status: 'completed', replay: await replayCompletion(checkpoint, { transport, checkpoints, signal }) };
    }
    if (GONE.some((code) => isTesseraError(error, code))) return gone(error as TesseraError);
    const unverified = isTesseraError(error)
      ? error
      : new TesseraError('internal-error', 'could not check the upload', { cause: error });
    return { status: 'unverified', error: unverified };
  }
}
