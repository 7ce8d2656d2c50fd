import type { GrowingSource } from '../session.js';
import type { RecordingBuffer } from './recordingBuffer.js';
import { reportUncaught } from './reportUncaught.js';

/** What a {@link growingSource} is called and typed as (what the upload is created with). */
export interface RecordingInfo {
  name: string;
  type: string;
  /** @default 0 */
  lastModified?: number;
}

/**
 * A {@link GrowingSource} with its writing side: what the recorder binding writes to. The upload engine
 * only sees the `GrowingSource` part.
 */
export interface RecordingSource extends GrowingSource {
  /** Persist `chunk` after the bytes before it, then tell the subscribers. Rejects (`source-error`) once ended. */
  append(chunk: Blob): Promise<void>;
  /** Persist that no more bytes will come, then tell the subscribers. Idempotent. */
  markEnded(): Promise<void>;
}

/**
 * The upload source over a {@link RecordingBuffer}: `size` and `ended` are the buffer's durable state,
 * `slice` reads from it, and subscribers hear of every change only once it is durable, so the engine never
 * sends bytes a crash could still lose. Write through the returned source (`append`, `markEnded`), not the
 * buffer, or subscribers are not told. A throwing subscriber is reported as uncaught and does not stop the
 * others.
 *
 * @example
 * ```ts
 * const source = growingSource(await openRecordingBuffer(id), { name: 'take-1.webm', type: 'video/webm' });
 * recorder.ondataavailable = (event) => void source.append(event.data);
 * recorder.onstop = () => void source.markEnded();
 * const upload = createUpload({ source, endpoint: '/api/uploads', id: source.id });
 * ```
 */
export function growingSource(buffer: RecordingBuffer, info: RecordingInfo): RecordingSource {
  const listeners = new Set<{ listener: () => void }>();
  let endAnnounced = buffer.ended();

  function notify(): void {
    for (const entry of [...listeners]) {
      try {
        entry.listener();
      } catch (error) {
        reportUncaught(error);
      }
    }
  }

  return {
    id: buffer.id,
    name: info.name,
    type: info.type,
    lastModified: info.lastModified ?? 0,
    get size() {
      return buffer.size();
    },
    get ended() {
      return buffer.ended();
    },
    slice: (start, end) => buffer.read(start, end),
    subscribe(listener) {
      // An entry per call, so subscribing one function twice takes two unsubscribes.
      const entry = { listener };
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    discard: () => buffer.discard(),
    // The buffer queues the write before this returns, so calls keep their order.
    append: (chunk) =>
      buffer.append(chunk).then(() => {
        if (chunk.size > 0) notify();
      }),
    markEnded: () =>
      buffer.markEnded().then(() => {
        if (endAnnounced) return;
        endAnnounced = true;
        notify();
      }),
  };
}
