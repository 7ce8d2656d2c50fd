/**
 * The storage media under a {@link RecordingBuffer}: what OPFS, IndexedDB and memory each implement. The
 * buffer on top keeps the chunk index, serializes writes and checks ranges; a store only moves bytes.
 *
 * A recording is stored as its chunks (one per `append`, never modified afterwards) plus an "ended" flag.
 * Chunks are written one at a time, each atomically, so what a crashed tab leaves behind is always a
 * gap-free prefix of the recording, at most followed by one chunk that was being written; `open` keeps the
 * prefix and deletes the rest.
 */
import type { ChunkRef } from './chunkChain.js';
import type { RecordingMetadata } from './recordingMetadata.js';

/** Where a recording's bytes live. */
export type RecordingStorageKind = 'opfs' | 'indexeddb' | 'memory';

/** One recording in a {@link RecordingStore}, as `open` found it. */
export interface StoredRecording {
  /** The chunks on storage when opened: in order, gap-free from offset 0. */
  readonly chunks: readonly ChunkRef[];
  /** Whether the recording was marked ended. */
  readonly ended: boolean;
  /** Its name, type and start, as written by `writeMetadata`; `null` when none was (or it was unreadable). */
  readonly metadata: RecordingMetadata | null;
  /** Store `chunk` as the chunk at `offset`; resolves once it is durable. */
  writeChunk(offset: number, chunk: Blob): Promise<void>;
  /** The stored bytes of `chunks` (as returned or written), one `Blob` each, disk-backed where possible. */
  readChunks(chunks: readonly ChunkRef[]): Promise<Blob[]>;
  /** Persist the ended flag. */
  markEnded(): Promise<void>;
  /** Persist the recording's metadata (atomically: a crash leaves the old one or the new one). */
  writeMetadata(metadata: RecordingMetadata): Promise<void>;
  /** Delete everything stored for the recording. */
  remove(): Promise<void>;
}

/** A storage medium holding recordings by id. */
export interface RecordingStore {
  readonly kind: RecordingStorageKind;
  /**
   * Load a recording, creating an empty one when it does not exist and `create` is true; `null` when it does
   * not exist and `create` is false.
   */
  open(id: string, create: boolean): Promise<StoredRecording | null>;
  /** Ids of the recordings stored, in no particular order. */
  list(): Promise<string[]>;
}
