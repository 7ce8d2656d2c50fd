import { createUpload, resumeUpload, type Upload, type UploadOptions } from '../createUpload.js';
import type { RecoverableRecording } from './findRecoverableRecordings.js';
import type { RecordingStorage } from './pickRecordingStore.js';
import { releaseRecording } from './recoveryPorts.js';
import { reopenRecording } from './reopenRecording.js';

/** Options of {@link continueRecording}: an upload's options, without its source and id. */
export interface ContinueRecordingOptions extends Omit<UploadOptions, 'source' | 'id'> {
  /** Where the recording is persisted. @default 'auto' */
  storage?: RecordingStorage;
}

/**
 * Upload what was stored of a recording found by `findRecoverableRecordings`: it is marked ended (its
 * recorder died with its page), then its upload is resumed from the store's parts, or, when it has no
 * checkpoint, created now (in the recording's scope). The stored bytes are deleted once the upload
 * completes. Rejects with `not-found` when the recording was deleted meanwhile.
 *
 * @example
 * ```ts
 * const upload = await continueRecording(recording, { endpoint: '/api/uploads', autoStart: true });
 * await upload.done();
 * ```
 */
export async function continueRecording(
  recording: RecoverableRecording,
  options: ContinueRecordingOptions,
): Promise<Upload> {
  const { storage, ...uploadOptions } = options;
  const source = await reopenRecording(recording.id, { name: recording.name, type: recording.type }, { storage });
  releaseRecording(recording.id);
  const { scope } = recording;
  const upload = { ...(scope !== null && { scope }), ...uploadOptions, source, id: recording.id };
  return recording.checkpoint ? resumeUpload(recording.checkpoint, upload) : createUpload(upload);
}
