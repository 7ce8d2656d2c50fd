import type { RecordingKind, RecordingMedia } from '../browserRecordingMedia.js';

const TITLES: Record<RecordingKind, string> = { screen: 'Screen', camera: 'Camera', microphone: 'Microphone' };

/** A canvas the page keeps drawing on (a moving bar and a clock) until the stream's track is stopped. */
function animatedCanvas(kind: RecordingKind): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d');
  const started = Date.now();
  let stream: MediaStream | null = null;
  const timer = setInterval(() => {
    if (stream?.getTracks().every((track) => track.readyState === 'ended')) return clearInterval(timer);
    if (!context) return;
    const elapsed = (Date.now() - started) / 1000;
    context.fillStyle = '#1c1c28';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#8b85ff';
    context.fillRect(((elapsed * 80) % (canvas.width + 60)) - 60, 70, 60, 40);
    context.fillStyle = '#ffffff';
    context.font = '16px sans-serif';
    context.fillText(`${TITLES[kind]} (simulated) ${elapsed.toFixed(1)} s`, 12, 24);
  }, 1000 / 15);
  const capture = canvas.captureStream.bind(canvas);
  canvas.captureStream = (frameRate?: number) => {
    stream = capture(frameRate);
    return stream;
  };
  return canvas;
}

/** Options of {@link canvasRecordingMedia}. */
export interface CanvasRecordingMediaOptions {
  /** Refuse the stream with a `DOMException` of this name (`NotAllowedError`: the user said no). */
  refuse?: string;
  /** Claim the browser cannot record. @default false */
  unsupported?: boolean;
}

/**
 * The recorder's capture port without devices or a permission prompt: the stream is a canvas the page
 * animates, recorded by the browser's real `MediaRecorder`, so the upload gets real WebM bytes.
 */
export function canvasRecordingMedia({ refuse, unsupported = false }: CanvasRecordingMediaOptions = {}): RecordingMedia {
  return {
    supports: () =>
      !unsupported && typeof MediaRecorder !== 'undefined' && typeof HTMLCanvasElement.prototype.captureStream === 'function',
    async getStream(kind) {
      if (refuse) throw new DOMException(`capture of the ${kind} refused (simulated)`, refuse);
      return animatedCanvas(kind).captureStream(15);
    },
    createRecorder(stream) {
      const mimeType = ['video/webm;codecs=vp8', 'video/webm'].find((type) => MediaRecorder.isTypeSupported(type));
      return new MediaRecorder(stream, mimeType ? { mimeType } : {});
    },
  };
}
