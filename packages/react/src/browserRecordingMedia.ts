/** What to record. */
export type RecordingKind = 'screen' | 'camera' | 'microphone';

/**
 * Capturing and recording media, behind a port like every other effect: the browser's by default
 * ({@link browserRecordingMedia}), a fake in tests.
 */
export interface RecordingMedia {
  /** Whether this runtime can capture `kind` and record it. */
  supports(kind: RecordingKind): boolean;
  /** Ask for the stream (the browser asks the user); rejects with the browser's `DOMException`. */
  getStream(kind: RecordingKind): Promise<MediaStream>;
  /** A recorder for `stream`, in the best type the browser supports for `kind`. */
  createRecorder(stream: MediaStream, kind: RecordingKind): MediaRecorder;
}

const TYPES: Record<'video' | 'audio', readonly string[]> = {
  video: ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'],
  audio: ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg'],
};

/**
 * {@link RecordingMedia} from the browser: `getDisplayMedia` (screen, with its audio where offered),
 * `getUserMedia` (camera with microphone, or microphone alone) and `MediaRecorder`. Reads globals when
 * called, never on import, so it is safe in server rendering.
 *
 * @example
 * ```ts
 * const media = browserRecordingMedia();
 * if (media.supports('screen')) recorder = media.createRecorder(await media.getStream('screen'), 'screen');
 * ```
 */
export function browserRecordingMedia(): RecordingMedia {
  const devices = () => (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices);
  return {
    supports(kind) {
      if (typeof MediaRecorder === 'undefined') return false;
      const found = devices();
      return kind === 'screen' ? typeof found?.getDisplayMedia === 'function' : typeof found?.getUserMedia === 'function';
    },
    getStream(kind) {
      const found = devices();
      if (!found) return Promise.reject(new DOMException('media devices are not available', 'NotSupportedError'));
      if (kind === 'screen') return found.getDisplayMedia({ video: true, audio: true });
      return found.getUserMedia(kind === 'camera' ? { video: true, audio: true } : { audio: true });
    },
    createRecorder(stream, kind) {
      const candidates = TYPES[kind === 'microphone' ? 'audio' : 'video'];
      const mimeType = candidates.find((type) => MediaRecorder.isTypeSupported(type));
      return new MediaRecorder(stream, mimeType ? { mimeType } : {});
    },
  };
}
