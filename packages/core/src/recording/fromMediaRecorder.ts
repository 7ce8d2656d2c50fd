import type { GrowingSource } from '../session.js';
import { growingSource, type RecordingSource } from './growingSource.js';
import type { RecordingStorage } from './pickRecordingStore.js';
import { openRecordingBuffer, type RecordingBuffer } from './recordingBuffer.js';
import { reportUncaught } from './reportUncaught.js';

/** What {@link fromMediaRecorder} needs of a `MediaRecorder`: its events and its `mimeType`. */
export interface MediaRecorderLike extends EventTarget {
  readonly mimeType: string;
}

/** Options for {@link fromMediaRecorder}. */
export interface FromMediaRecorderOptions {
  /** Id to persist the recording under; use it as the upload's id. @default crypto.randomUUID() */
  id?: string;
  /** File name the upload is created with. @default `recording-<ISO time with - for :>.<extension of type>` */
  name?: string;
  /** Content type the upload is created with. @default the recorder's `mimeType` without parameters, else 'video/webm' */
  type?: string;
  /** Where to persist the bytes. @default 'auto' */
  storage?: RecordingStorage;
  /**
   * Whose recording it is: the `scope` its upload is created with (e.g. the signed-in user's id), persisted
   * with it so that after a crash only that user is offered it (`findRecoverableRecordings`). @default none
   */
  scope?: string;
  /** A buffer to write to instead of opening one (`id` and `storage` are then unused). */
  buffer?: RecordingBuffer;
  /**
   * Called once, with the first error persisting the recording (a full disk, say). Later chunks are not
   * stored, so what is stored stays a playable prefix; stopping the recorder then ends and uploads that
   * prefix. @default report it as an uncaught error
   */
  onError?: (error: unknown) => void;
}

const EXTENSIONS: Record<string, string> = { 'x-matroska': 'mkv' };

function essence(mimeType: string): string | undefined {
  const type = mimeType.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

function defaultName(type: string, now: Date): string {
  const subtype = type.split('/')[1] ?? '';
  const extension = EXTENSIONS[subtype] ?? (/^[a-z0-9]+$/.test(subtype) ? subtype : 'bin');
  // Colons are not allowed in file names on Windows, where the upload may be downloaded again.
  return `recording-${now.toISOString().replaceAll(':', '-')}.${extension}`;
}

/**
 * Record a `MediaRecorder` into a {@link GrowingSource} to upload while it records: every `dataavailable`
 * chunk is persisted (OPFS, else IndexedDB) before the upload hears of it, and `stop` marks the end once the
 * last chunk is stored. Listens from the moment it is called, so call it before `recorder.start()`, and
 * start with a timeslice (`recorder.start(1000)`): without one the recorder hands over all its data at
 * `stop`, and nothing can be uploaded, or survive a crash, before then.
 *
 * The recording's name, type and start are persisted with it, so after a reload one that did not finish
 * uploading is found by `findRecoverableRecordings` (with or without an upload's checkpoint) and taken up with
 * `continueRecording`; `discard()` the source once its upload completed or was aborted.
 *
 * @example
 * ```ts
 * const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp9' });
 * const source = await fromMediaRecorder(recorder);
 * recorder.start(1000);
 * const upload = createUpload({ source, endpoint: '/api/uploads', id: source.id, autoStart: true });
 * // later: recorder.stop(); the upload sends the last part and completes.
 * ```
 */
export async function fromMediaRecorder(
  recorder: MediaRecorderLike,
  options: FromMediaRecorderOptions = {},
): Promise<GrowingSource> {
  const type = options.type ?? essence(recorder.mimeType) ?? 'video/webm';
  const startedAt = new Date();
  const info = { name: options.name ?? defaultName(type, startedAt), type };
  // Persisted with the recording, before its first byte: a tab that dies before the server created the
  // upload leaves no checkpoint, and the recording must still be uploadable under its name and type.
  const scope = options.scope;
  const metadata = { ...info, startedAt: startedAt.getTime(), ...(scope !== undefined && { scope }) };
  const ready = (
    options.buffer !== undefined
      ? Promise.resolve(options.buffer)
      : openRecordingBuffer(options.id ?? crypto.randomUUID(), { storage: options.storage, metadata })
  ).then((buffer) => growingSource(buffer, info));
  // Every handler continues from this one promise, so writes are queued in event order (the last
  // `dataavailable` before `stop`'s end) even while the buffer is still opening.
  const opened: Promise<RecordingSource | null> = ready.catch(() => null);

  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    (options.onError ?? reportUncaught)(error);
  };

  const onData = (event: Event) => {
    const data: unknown = (event as Partial<BlobEvent>).data;
    if (!(data instanceof Blob) || data.size === 0) return;
    opened.then((source) => source?.append(data)).catch(fail);
  };
  const onStop = () => {
    detach();
    opened.then((source) => source?.markEnded()).catch(fail);
  };
  const detach = () => {
    recorder.removeEventListener('dataavailable', onData);
    recorder.removeEventListener('stop', onStop);
  };

  // Listen now: the buffer opens asynchronously and no event may be missed meanwhile.
  recorder.addEventListener('dataavailable', onData);
  recorder.addEventListener('stop', onStop);
  try {
    return await ready;
  } catch (error) {
    detach();
    throw error;
  }
}
