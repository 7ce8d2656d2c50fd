import { TesseraError } from '../errors.js';
import { pickRecordingStore, type RecordingStorage } from './pickRecordingStore.js';
import { lockedRecordings } from './recordingLock.js';

/** Options for {@link listRecordings}. */
export interface ListRecordingsOptions {
  /** Which storage to look in. @default 'auto' (the one {@link openRecordingBuffer} picks) */
  storage?: RecordingStorage;
}

/**
 * Ids of the recordings persisted and not discarded, ended or not: after a reload, the recordings whose
 * uploads did not finish (reopen each with `reopenRecording`). In OPFS and IndexedDB, recordings a page has
 * open right now (this one or another tab, where the browser has Web Locks) are left out: someone is still
 * recording or uploading them. In no particular order. Storage failures reject with `source-error`.
 *
 * @example
 * ```ts
 * const recordings = new Set(await listRecordings());
 * for (const checkpoint of await findResumableUploads()) {
 *   if (checkpoint.source !== 'growing' || !recordings.has(checkpoint.id)) continue;
 *   const source = await reopenRecording(checkpoint.id, { name: checkpoint.fileName, type: checkpoint.contentType });
 *   resumeUpload(checkpoint, { source, endpoint: checkpoint.endpoint, id: checkpoint.id });
 * }
 * ```
 */
export async function listRecordings(options: ListRecordingsOptions = {}): Promise<string[]> {
  const store = await pickRecordingStore(options.storage);
  let ids: string[];
  try {
    ids = await store.list();
  } catch (cause) {
    throw new TesseraError('source-error', `could not list the recordings in ${store.kind}`, { cause });
  }
  if (store.kind === 'memory') return ids;
  const open = await lockedRecordings(ids);
  return ids.filter((id) => !open.has(id));
}
