import type { GrowingSource } from '../session.js';
import { growingSource, type RecordingInfo } from './growingSource.js';
import type { RecordingStorage } from './pickRecordingStore.js';
import { openRecordingBuffer, type RecordingBuffer } from './recordingBuffer.js';

/** Options for {@link reopenRecording}. */
export interface ReopenRecordingOptions {
  /** Where the recording was persisted. @default 'auto' */
  storage?: RecordingStorage;
  /**
   * Mark the recording ended: its recorder died with the page that ran it, so no more bytes will come and
   * the upload can finish with what is stored. Pass `false` only if something will still append to it.
   * @default true
   */
  markEnded?: boolean;
}

/**
 * The {@link GrowingSource} of a recording persisted by an earlier page (its id from `listRecordings` or the
 * upload's checkpoint), to resume its upload from the bytes on disk. `info` is what the upload was created
 * with (the checkpoint's `fileName` and `contentType`); without it, the name and type persisted with the
 * recording (see {@link recordingInfoOf}). Rejects with `not-found` when nothing is stored under `id`, and
 * `source-error` when another tab has it open.
 *
 * @example
 * ```ts
 * const source = await reopenRecording(checkpoint.id, { name: checkpoint.fileName, type: checkpoint.contentType });
 * const upload = resumeUpload(checkpoint, { source, endpoint: checkpoint.endpoint, id: source.id });
 * ```
 */
export async function reopenRecording(
  id: string,
  info?: RecordingInfo,
  options: ReopenRecordingOptions = {},
): Promise<GrowingSource> {
  const buffer = await openRecordingBuffer(id, { storage: options.storage, create: false });
  if (options.markEnded ?? true) await buffer.markEnded();
  return growingSource(buffer, info ?? recordingInfoOf(buffer));
}

/**
 * What a stored recording is called and typed as: its persisted metadata, or for one stored without it (by
 * an older version), `recording-<id>.webm` as `video/webm`, what `fromMediaRecorder` records in Chromium and
 * Firefox.
 *
 * @example
 * ```ts
 * const { name, type } = recordingInfoOf(await openRecordingBuffer(id, { create: false }));
 * ```
 */
export function recordingInfoOf(buffer: Pick<RecordingBuffer, 'id' | 'metadata'>): RecordingInfo {
  const metadata = buffer.metadata();
  if (metadata !== null) return { name: metadata.name, type: metadata.type };
  return { name: `recording-${buffer.id}.webm`, type: 'video/webm' };
}
