import { isTesseraError } from '../errors.js';
import type { RecoverableRecording } from './findRecoverableRecordings.js';
import { openRecordingBuffer } from './recordingBuffer.js';
import { type RecoveryPorts, recoveryPorts, releaseRecording } from './recoveryPorts.js';

/**
 * Give up a recording found by `findRecoverableRecordings`: abort its upload on the server (one already gone
 * or completed is fine), so the store keeps no parts of it, delete its checkpoint, then its stored bytes.
 * Rejects when the server refuses the abort (the checkpoint and bytes are kept, to try again).
 *
 * @example
 * ```ts
 * await discardRecording(recording, { endpoint: '/api/uploads' });
 * ```
 */
export async function discardRecording(recording: RecoverableRecording, ports: RecoveryPorts): Promise<void> {
  const { transport, checkpoints } = recoveryPorts(ports);
  const { checkpoint } = recording;
  if (checkpoint !== null) {
    try {
      await transport.abort({ uploadId: checkpoint.uploadId, token: checkpoint.token });
    } catch (error) {
      if (!isTesseraError(error, 'upload-not-found') && !isTesseraError(error, 'upload-completed')) throw error;
    }
    await checkpoints.delete(checkpoint.id);
  }
  const buffer = await openRecordingBuffer(recording.id, { storage: ports.storage, create: false }).catch(
    (error: unknown) => {
      // Deleted already (by another listing of this page, say): nothing left to discard.
      if (isTesseraError(error, 'not-found')) return null;
      throw error;
    },
  );
  await buffer?.discard();
  releaseRecording(recording.id);
}
