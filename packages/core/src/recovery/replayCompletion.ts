import { isTesseraError } from '../errors.js';
import type { Checkpoint } from '../logic/checkpoint.js';
import { replayRequestOf } from '../logic/completionReplay.js';
import type { CheckpointStore, Transport } from '../ports.js';
import type { CompleteUploadResponse } from '../protocol.js';

/** What became of {@link replayCompletion}. */
export type ReplayOutcome =
  /** The server answered the replay: the object and the app's `onComplete` are done; checkpoint deleted. */
  | { outcome: 'replayed'; result: CompleteUploadResponse }
  /**
   * The server refused it (the checkpoint missed a part, say): the object is complete all the same, and the
   * checkpoint was deleted.
   */
  | { outcome: 'refused'; error: unknown }
  /** The server could not be reached, or asked to try later: the checkpoint is kept, for a later try. */
  | { outcome: 'unreachable'; error: unknown };

/**
 * Finish the bookkeeping of an upload the server says is completed (`upload-completed`) although this browser
 * still has its checkpoint, the trace of a tab closed while its complete request was in flight: send the
 * complete again with the checkpoint's parts ({@link replayRequestOf}; the server answers as it answered the
 * first one, and runs the app's `onComplete` if it never succeeded), then forget the checkpoint. A refusal
 * forgets it too; only a failure a retry could cure (network, 5xx, `hook-failed`) keeps it.
 *
 * @example
 * ```ts
 * const { outcome } = await replayCompletion(checkpoint, { transport, checkpoints });
 * ```
 */
export async function replayCompletion(
  checkpoint: Checkpoint,
  ports: { transport: Transport; checkpoints: CheckpointStore; signal?: AbortSignal },
): Promise<ReplayOutcome> {
  const { transport, checkpoints, signal } = ports;
  const forget = () => checkpoints.delete(checkpoint.id).catch(() => undefined);
  try {
    const upload = { uploadId: checkpoint.uploadId, token: checkpoint.token };
    const result = await transport.complete(upload, replayRequestOf(checkpoint), signal);
    await forget();
    return { outcome: 'replayed', result };
  } catch (error) {
    signal?.throwIfAborted();
    if (!isTesseraError(error) || error.retryable) return { outcome: 'unreachable', error };
    await forget();
    return { outcome: 'refused', error };
  }
}
