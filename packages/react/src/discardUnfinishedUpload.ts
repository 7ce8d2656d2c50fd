import { type Checkpoint, type CheckpointStore, isTesseraError, type Transport } from '@tessera/core';

/**
 * Give up an unfinished upload: abort it on the server (an upload already gone or completed is fine) and
 * delete its checkpoint.
 *
 * @example
 * ```ts
 * await discardUnfinishedUpload(checkpoint, { transport, checkpoints });
 * ```
 */
export async function discardUnfinishedUpload(
  checkpoint: Checkpoint,
  ports: { transport: Transport; checkpoints: CheckpointStore },
): Promise<void> {
  try {
    await ports.transport.abort({ uploadId: checkpoint.uploadId, token: checkpoint.token });
  } catch (error) {
    // Gone, or completed after all: either way the store keeps no open upload of it.
    if (!isTesseraError(error, 'upload-not-found') && !isTesseraError(error, 'upload-completed')) throw error;
  }
  await ports.checkpoints.delete(checkpoint.id);
}
