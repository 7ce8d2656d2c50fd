import { isTesseraError } from '../errors.js';
import type { Checkpoint } from '../logic/checkpoint.js';
import { listsEveryPart } from '../logic/completionReplay.js';
import type { Transport } from '../ports.js';
import type { UploadedPart } from '../protocol.js';
import type { PartRecord, UploadInfo } from '../session.js';

export interface ListStoredPartsInput {
  transport: Transport;
  upload: UploadInfo;
  checkpoint: Checkpoint;
  /** The parts of the source as it is now. */
  planned: readonly PartRecord[];
  /** Whether the source has ended (always for a file). */
  ended: boolean;
}

/**
 * The parts the store holds for an upload being resumed (ListParts, the truth a resume starts from). An
 * upload the server says is already completed (`upload-completed`: the tab that sent its complete closed
 * before the answer came) holds, as far as the resume is concerned, the parts of its checkpoint, when those
 * are every part of the ended source: the session then completes with them, the server replays its answer,
 * and the upload ends as completed rather than failed. Otherwise the refusal stands.
 */
export async function listStoredParts(input: ListStoredPartsInput, signal: AbortSignal): Promise<UploadedPart[]> {
  const { transport, upload, checkpoint, planned, ended } = input;
  try {
    return (await transport.listParts(upload, signal)).parts;
  } catch (error) {
    if (isTesseraError(error, 'upload-completed') && ended && listsEveryPart(checkpoint.parts, planned)) {
      return checkpoint.parts.map(({ partNumber, size, etag }) => ({ partNumber, size, etag }));
    }
    throw error;
  }
}
