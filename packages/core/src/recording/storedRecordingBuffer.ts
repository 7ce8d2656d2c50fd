import { TesseraError } from '../errors.js';
import { type ChunkRef, chainSize, chunksInRange } from './chunkChain.js';
import type { RecordingBuffer } from './recordingBuffer.js';
import type { RecordingStorageKind, StoredRecording } from './recordingStore.js';

/**
 * A {@link RecordingBuffer} over one recording of a store: keeps the chunk index in memory, runs appends,
 * `markEnded` and `discard` one after another in call order (a promise chain), and answers `size()` and
 * `ended()` from what is durable, so nobody sees bytes a crash could still lose.
 *
 * After an append fails (a full disk, say) the recording has a hole where the chunk should be: every later
 * append rejects too, so the bytes stored stay a gap-free prefix (a truncated but playable recording), and
 * `markEnded` still works so that prefix can be uploaded.
 *
 * @example
 * ```ts
 * const stored = await createMemoryRecordingStore().open('rec-1', true);
 * if (stored !== null) await storedRecordingBuffer('rec-1', 'memory', stored).append(chunk);
 * ```
 */
export function storedRecordingBuffer(id: string, storage: RecordingStorageKind, stored: StoredRecording): RecordingBuffer {
  const chunks: ChunkRef[] = [...stored.chunks];
  let size = chainSize(chunks);
  let ended = stored.ended;
  // What callers have asked for so far: an append called after these is refused at once. Appends queued
  // before them still run (the queue then has them happen before the end or the removal).
  let endRequested = ended;
  let discarded = false;
  let removed = false;
  let failure: unknown;
  let queue: Promise<unknown> = Promise.resolve();

  function enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  }

  const sourceError = (message: string, cause?: unknown) =>
    new TesseraError('source-error', `recording ${id}: ${message}`, { cause });

  function checkWritable(state: { discarded: boolean; ended: boolean }): void {
    if (state.discarded) throw sourceError('it was discarded');
    if (state.ended) throw sourceError('it has ended, no more bytes can be appended');
    if (failure !== undefined) throw sourceError('an earlier append failed, so later bytes would leave a gap', failure);
  }

  return {
    id,
    storage,
    size: () => size,
    ended: () => ended,
    metadata: () => stored.metadata,

    append(chunk) {
      try {
        checkWritable({ discarded, ended: endRequested });
      } catch (error) {
        return Promise.reject(error);
      }
      return enqueue(async () => {
        checkWritable({ discarded: removed, ended });
        if (chunk.size === 0) return;
        try {
          await stored.writeChunk(size, chunk);
        } catch (cause) {
          failure = cause;
          throw sourceError(`could not persist ${chunk.size} recorded bytes at offset ${size}`, cause);
        }
        chunks.push({ offset: size, size: chunk.size });
        size += chunk.size;
      });
    },

    async read(start, end) {
      if (discarded) throw sourceError('it was discarded');
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > size) {
        throw sourceError(`cannot read [${start}, ${end}) of ${size} bytes`);
      }
      const covering = chunksInRange(chunks, start, end);
      const first = covering[0];
      if (first === undefined) return new Blob([]);
      let blobs: Blob[];
      try {
        blobs = await stored.readChunks(covering);
      } catch (cause) {
        throw sourceError(`could not read [${start}, ${end})`, cause);
      }
      // No type, like `File.slice(start, end)`: a typed body would make fetch/XHR send a Content-Type header.
      return new Blob(blobs).slice(start - first.offset, end - first.offset);
    },

    markEnded() {
      if (discarded) return Promise.reject(sourceError('it was discarded'));
      endRequested = true;
      return enqueue(async () => {
        if (ended || removed) return;
        try {
          await stored.markEnded();
        } catch (cause) {
          throw sourceError('could not persist its end', cause);
        }
        ended = true;
      });
    },

    discard() {
      discarded = true;
      return enqueue(async () => {
        removed = true;
        chunks.length = 0;
        size = 0;
        try {
          await stored.remove();
        } catch (cause) {
          throw sourceError('could not delete its stored bytes', cause);
        }
      });
    },
  };
}
