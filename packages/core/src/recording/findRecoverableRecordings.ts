import type { TesseraError } from '../errors.js';
import type { Checkpoint } from '../logic/checkpoint.js';
import { checkUnfinishedUpload } from '../recovery/checkUnfinishedUpload.js';
import { listRecordings } from './listRecordings.js';
import { closeRecordingBuffer, openRecordingBuffer, type RecordingBuffer } from './recordingBuffer.js';
import { claimedRecordings, claimRecording, type RecoveryPorts, recoveryPorts, releaseRecording } from './recoveryPorts.js';
import { recordingInfoOf } from './reopenRecording.js';

/** A recording cut off with its page (a closed or crashed tab), its bytes stored in this browser. */
export interface RecoverableRecording {
  /** The recording's id, and the upload's. */
  id: string;
  /** What the upload is (or will be) created as. */
  name: string;
  type: string;
  /** Whose it is (see `FindRecoverableRecordingsOptions.scope`); `null`: unscoped. */
  scope: string | null;
  /** When recording started (ms since the epoch); `null` when unknown. */
  startedAt: number | null;
  /** Bytes of the recording stored in this browser: what will be uploaded. */
  recordedBytes: number;
  /**
   * The upload it was being sent to, open in the store: continuing resumes it. `null` when there is none to
   * resume (the page died before the server created one, the create failed, or the upload is gone):
   * continuing starts a new upload of the stored bytes.
   */
  checkpoint: Checkpoint | null;
  /** Bytes the store holds of that upload (ListParts; the checkpoint's when `unverified`). */
  uploadedBytes: number;
  /** Why the server could not confirm the upload (offline, say); continuing will try. */
  unverified: TesseraError | null;
}

/** Options of {@link findRecoverableRecordings}. */
export interface FindRecoverableRecordingsOptions extends RecoveryPorts {
  /**
   * Whose recordings: the `scope` their uploads were created with (`UploadOptions.scope`) and recorded with
   * (`fromMediaRecorder`'s `scope`). @default only unscoped recordings
   */
  scope?: string;
  /** Wall-clock time, to recognise expired upload tokens. @default Date.now() */
  now?: number;
  signal?: AbortSignal;
}

const sum = (parts: ReadonlyArray<{ size: number }>) => parts.reduce((total, part) => total + part.size, 0);

// One listing at a time per page: each sees what the one before it opened and settled.
let listing: Promise<unknown> = Promise.resolve();

/**
 * Recordings stored in this browser whose uploads did not finish, whether or not an upload was ever created
 * for them, to offer them to the user (continue with `continueRecording`, or `discardRecording`); newest
 * first. Each is checked with the server and settled where no user is needed:
 * - its upload is open in the store: offered with its checkpoint (resumable);
 * - it has no checkpoint (the page died before the server answered create, or create failed), or its upload
 *   is gone (aborted, swept, token expired): offered without one, so its bytes go up as a new upload;
 * - its upload is completed already (the page died while its complete was in flight): the completion is
 *   replayed, the checkpoint and the stored bytes deleted, and it is not offered;
 * - nothing was recorded: deleted (and an upload created for it aborted), not offered.
 *
 * Recordings another page has open (still recording or uploading) are left alone, as are those of another
 * endpoint or scope (another user's, on a shared browser). Those offered are held by this page (their Web Lock) until continued
 * or discarded; calling again offers them again.
 *
 * @example
 * ```ts
 * const [recording] = await findRecoverableRecordings({ endpoint: '/api/uploads' });
 * if (recording) await continueRecording(recording, { endpoint: '/api/uploads', autoStart: true });
 * ```
 */
export function findRecoverableRecordings(options: FindRecoverableRecordingsOptions): Promise<RecoverableRecording[]> {
  const found = listing.then(() => find(options));
  listing = found.catch(() => undefined);
  return found;
}

async function find(options: FindRecoverableRecordingsOptions): Promise<RecoverableRecording[]> {
  const { endpoint, storage, signal } = options;
  const scope = options.scope ?? null;
  const { transport, checkpoints } = recoveryPorts(options);
  const now = options.now ?? Date.now();
  const [stored, remembered] = await Promise.all([listRecordings({ storage }), checkpoints.list()]);
  const ids = new Set([...stored, ...claimedRecordings()]);
  const byId = new Map(remembered.filter((checkpoint) => checkpoint.source === 'growing').map((c) => [c.id, c]));

  async function settle(id: string): Promise<RecoverableRecording | null> {
    let checkpoint = byId.get(id) ?? null;
    // Another endpoint's or another user's upload: their page offers it.
    if (checkpoint !== null && (checkpoint.endpoint !== endpoint || checkpoint.scope !== scope)) return null;
    let buffer: RecordingBuffer;
    try {
      // Held for this page from here on (a tab that opened it meanwhile keeps it).
      buffer = await openRecordingBuffer(id, { storage, create: false });
    } catch {
      releaseRecording(id);
      return null;
    }
    if (checkpoint === null && (buffer.metadata()?.scope ?? null) !== scope) {
      releaseRecording(id);
      closeRecordingBuffer(buffer);
      return null;
    }
    claimRecording(id);
    const drop = async () => {
      releaseRecording(id);
      await buffer.discard().catch(() => undefined);
      return null;
    };
    let uploadedBytes = 0;
    let unverified: TesseraError | null = null;
    if (checkpoint !== null) {
      const check = await checkUnfinishedUpload(checkpoint, { transport, checkpoints, now, signal });
      if (check.status === 'completed') {
        // The object is stored: the bytes here are not needed, unless the replay must be tried again later.
        if (check.replay.outcome !== 'unreachable') return drop();
        releaseRecording(id);
        return null;
      }
      if (check.status === 'gone') checkpoint = null;
      else if (check.status === 'open') uploadedBytes = sum(check.parts);
      else {
        uploadedBytes = sum(checkpoint.parts);
        unverified = check.error;
      }
    }
    if (buffer.size() === 0) {
      // Nothing was recorded: nothing to offer, and an upload created for it has nothing to wait for (one
      // that cannot be aborted now is left to the server's sweep of stale uploads).
      if (checkpoint !== null) {
        await transport.abort({ uploadId: checkpoint.uploadId, token: checkpoint.token }, signal).catch(() => undefined);
        await checkpoints.delete(id).catch(() => undefined);
      }
      return drop();
    }
    const info = checkpoint ? { name: checkpoint.fileName, type: checkpoint.contentType } : recordingInfoOf(buffer);
    return {
      id,
      ...info,
      scope,
      startedAt: buffer.metadata()?.startedAt ?? checkpoint?.createdAt ?? null,
      recordedBytes: buffer.size(),
      checkpoint,
      uploadedBytes,
      unverified,
    };
  }

  const settled = await Promise.all([...ids].map(settle));
  signal?.throwIfAborted();
  return settled
    .filter((recording): recording is RecoverableRecording => recording !== null)
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}
