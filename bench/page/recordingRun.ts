/**
 * P5: core's recording path (`fromMediaRecorder`: every chunk persisted, OPFS or IndexedDB, before the
 * upload hears of it) fed by a stand-in recorder that emits random bytes at a fixed rate in timeslices,
 * while Tessera uploads; measures the most bytes recorded but not yet stored, and the time from the
 * recorder's `stop` to the completed object.
 */
import { createUpload, fromMediaRecorder, type MediaRecorderLike } from '@tessera/core';
import { createSHA256 } from 'hash-wasm';
import { benchConfig } from './benchApi.js';
import { longTasksBetween } from './longTasks.js';
import type { RecordingOptions, RecordingResult } from './pageTypes.js';

/** A `MediaRecorder` stand-in: `dataavailable` with the bytes we choose, then `stop`. */
class SyntheticRecorder extends EventTarget implements MediaRecorderLike {
  readonly mimeType = 'video/webm';
  emit(data: Blob): void {
    this.dispatchEvent(new BlobEvent('dataavailable', { data }));
  }
  stop(): void {
    this.dispatchEvent(new Event('stop'));
  }
}

const RANDOM_LIMIT = 65_536; // crypto.getRandomValues fills at most this many bytes per call

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += RANDOM_LIMIT) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + RANDOM_LIMIT)));
  return bytes;
}

export async function recordWhileUploading(options: RecordingOptions): Promise<RecordingResult> {
  const { endpoint } = await benchConfig();
  const recorder = new SyntheticRecorder();
  const source = await fromMediaRecorder(recorder, { name: 'recording.webm' });
  const sha256 = await createSHA256();
  sha256.init();
  const upload = createUpload({ source, endpoint, concurrency: options.concurrency, id: source.id });
  let recordedBytes = 0; // what the recorder handed over, persisted or not yet
  let storedBytes = 0;
  let pendingPartBytes = 0;
  let maxUnsentBytes = 0;
  let maxPendingPartBytes = 0;
  let recording = true;
  const measure = () => {
    if (!recording) return;
    maxUnsentBytes = Math.max(maxUnsentBytes, recordedBytes - storedBytes);
    maxPendingPartBytes = Math.max(maxPendingPartBytes, pendingPartBytes);
  };
  // While the source grows, only full parts are planned: a part appears in the snapshot once it is full.
  const fullAt = new Map<number, number>();
  const storedSeen = new Set<number>();
  let maxFullToStoredMs = 0;
  upload.subscribe((snapshot) => {
    storedBytes = snapshot.parts.reduce((sum, part) => sum + (part.status === 'done' ? part.size : 0), 0);
    pendingPartBytes = snapshot.parts.reduce((sum, part) => sum + (part.status === 'done' ? 0 : part.size), 0);
    const now = performance.now();
    for (const part of snapshot.parts) {
      if (!fullAt.has(part.partNumber)) fullAt.set(part.partNumber, now);
      if (part.status === 'done' && recording && !storedSeen.has(part.partNumber)) {
        storedSeen.add(part.partNumber);
        maxFullToStoredMs = Math.max(maxFullToStoredMs, now - (fullAt.get(part.partNumber) ?? now));
      }
    }
    measure();
  });
  const started = performance.now();
  upload.start();

  const chunkBytes = Math.round((options.bytesPerSecond * options.chunkMs) / 1000);
  const chunks = Math.round(options.durationMs / options.chunkMs);
  for (let index = 0; index < chunks; index++) {
    // Keep to the wall-clock schedule (a late timer does not stretch the recording).
    const due = started + (index + 1) * options.chunkMs;
    await new Promise((done) => setTimeout(done, Math.max(0, due - performance.now())));
    const bytes = randomBytes(chunkBytes);
    sha256.update(bytes);
    recorder.emit(new Blob([bytes]));
    recordedBytes += bytes.length;
    measure();
  }
  recording = false;
  const stopped = performance.now();
  recorder.stop();
  const result = await upload.done();
  const completed = performance.now();
  await source.discard();
  return {
    key: result.key,
    size: result.size,
    partSize: upload.getSnapshot().parts[0]?.size ?? 0,
    maxUnsentBytes,
    maxPendingPartBytes,
    maxFullToStoredMs,
    stopToCompleteMs: completed - stopped,
    sha256: sha256.digest('hex'),
    longTasks: await longTasksBetween(started, completed),
  };
}
