import type { ChunkRef } from './chunkChain.js';
import type { RecordingMetadata } from './recordingMetadata.js';
import type { RecordingStore, StoredRecording } from './recordingStore.js';

interface MemoryRecording {
  chunks: Array<ChunkRef & { blob: Blob }>;
  ended: boolean;
  metadata: RecordingMetadata | null;
}

/**
 * A {@link RecordingStore} in memory: for tests, Node, and browsers without OPFS or IndexedDB. Recordings
 * live as long as the store object (a page reload loses them), so reopening one within the same store is
 * what a reload looks like to the other stores.
 *
 * @example
 * ```ts
 * const store = createMemoryRecordingStore();
 * const recording = await store.open('rec-1', true);
 * await recording?.writeChunk(0, new Blob(['hello']));
 * ```
 */
export function createMemoryRecordingStore(): RecordingStore {
  const recordings = new Map<string, MemoryRecording>();

  function stored(id: string, recording: MemoryRecording): StoredRecording {
    const live = () => recordings.get(id) === recording;
    return {
      chunks: recording.chunks.map(({ offset, size }) => ({ offset, size })),
      ended: recording.ended,
      metadata: recording.metadata && { ...recording.metadata },
      writeChunk: async (offset, chunk) => {
        if (!live()) throw new Error(`recording ${id} was removed`);
        recording.chunks = recording.chunks.filter((existing) => existing.offset !== offset);
        recording.chunks.push({ offset, size: chunk.size, blob: chunk });
        recording.chunks.sort((a, b) => a.offset - b.offset);
      },
      readChunks: async (chunks) =>
        chunks.map(({ offset, size }) => {
          const found = live() ? recording.chunks.find((chunk) => chunk.offset === offset) : undefined;
          if (found?.size !== size) throw new Error(`chunk ${offset}+${size} of recording ${id} is missing`);
          return found.blob;
        }),
      markEnded: async () => {
        if (live()) recording.ended = true;
      },
      writeMetadata: async (metadata) => {
        if (live()) recording.metadata = { ...metadata };
      },
      remove: async () => {
        if (live()) recordings.delete(id);
      },
    };
  }

  return {
    kind: 'memory',
    open: async (id, create) => {
      let recording = recordings.get(id);
      if (recording === undefined) {
        if (!create) return null;
        recording = { chunks: [], ended: false, metadata: null };
        recordings.set(id, recording);
      }
      return stored(id, recording);
    },
    list: async () => [...recordings.keys()],
  };
}
