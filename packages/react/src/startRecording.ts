import type { Upload, UploadSource } from '@tessera/core';
import type { RecordingKind, RecordingMedia } from './browserRecordingMedia.js';

/** Why a recording could not start. */
export type RecordingProblemCode = 'unsupported' | 'permission-denied' | 'no-device' | 'failed';

/** A recording that could not start, with a message for people. */
export interface RecordingProblem {
  code: RecordingProblemCode;
  message: string;
  cause?: unknown;
}

/** A recording in progress, uploading while it records. */
export interface RecordingSession {
  kind: RecordingKind;
  stream: MediaStream;
  recorder: MediaRecorder;
  source: UploadSource;
  upload: Upload;
  /** Stop recording and release the devices; the upload then sends what is left and completes. */
  stop(): void;
}

/** What {@link startRecording} needs. */
export interface StartRecordingDeps {
  media: RecordingMedia;
  /** A growing upload source fed by the recorder (core's `fromMediaRecorder`). Called before `start`. */
  createSource: (recorder: MediaRecorder) => Promise<UploadSource>;
  createUpload: (source: UploadSource) => Upload;
  /** How often the recorder hands over data, and so how soon it can be uploaded. */
  timesliceMs: number;
}

const NAMES: Record<RecordingKind, string> = { screen: 'the screen', camera: 'the camera', microphone: 'the microphone' };

/** A {@link RecordingProblem} from what `getDisplayMedia` / `getUserMedia` rejected with. */
export function mediaProblem(error: unknown, kind: RecordingKind): RecordingProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    const message = `Permission to record ${NAMES[kind]} was denied.`;
    const hint = "Allow it in the browser's site settings, then try again.";
    return { code: 'permission-denied', message: `${message} ${hint}`, cause: error };
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return { code: 'no-device', message: `No device was found to record ${NAMES[kind]}.`, cause: error };
  }
  if (name === 'NotSupportedError' || name === 'TypeError') {
    return { code: 'unsupported', message: `This browser cannot record ${NAMES[kind]}.`, cause: error };
  }
  const detail = error instanceof Error ? `: ${error.message}` : '.';
  return { code: 'failed', message: `Recording ${NAMES[kind]} could not start${detail}`, cause: error };
}

/**
 * Ask for the stream, create the recorder and its growing source, start the upload, then start recording.
 * Never throws: a refusal or a missing feature comes back as a typed {@link RecordingProblem}. When the
 * user ends the capture from the browser's own UI (“Stop sharing”), the recording stops as with `stop()`.
 *
 * @example
 * ```ts
 * const started = await startRecording('screen', { media, createSource, createUpload, timesliceMs: 1000 });
 * if (!started.ok) show(started.problem.message);
 * ```
 */
export async function startRecording(
  kind: RecordingKind,
  deps: StartRecordingDeps,
): Promise<{ ok: true; session: RecordingSession } | { ok: false; problem: RecordingProblem }> {
  if (!deps.media.supports(kind)) {
    return { ok: false, problem: { code: 'unsupported', message: `This browser cannot record ${NAMES[kind]}.` } };
  }
  let stream: MediaStream;
  try {
    stream = await deps.media.getStream(kind);
  } catch (error) {
    return { ok: false, problem: mediaProblem(error, kind) };
  }
  const release = () => stream.getTracks().forEach((track) => track.stop());
  try {
    const recorder = deps.media.createRecorder(stream, kind);
    const source = await deps.createSource(recorder);
    const upload = deps.createUpload(source);
    const stop = () => {
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    };
    for (const track of stream.getTracks()) track.addEventListener('ended', stop);
    recorder.start(deps.timesliceMs);
    return { ok: true, session: { kind, stream, recorder, source, upload, stop } };
  } catch (error) {
    release();
    return { ok: false, problem: mediaProblem(error, kind) };
  }
}
