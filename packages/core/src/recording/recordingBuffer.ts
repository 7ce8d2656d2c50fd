import { TesseraError } from '../errors.js';
import { pickRecordingStore, type RecordingStorage } from './pickRecordingStore.js';
import type { RecordingMetadata } from './recordingMetadata.js';
import { takeRecordingLock } from './recordingLock.js';
import type { RecordingStorageKind, RecordingStore } from './recordingStore.js';
import { storedRecordingBuffer } from './storedRecordingBuffer.js';

/**
 * The bytes of a recording, persisted as they arrive so a crashed tab loses none of them (the
 * `RecordingBuffer` port). Appends, `markEnded` and `discard` take effect one after another in call order;
 * `size()` and `ended()` change only once the change is durable.
 */
export interface RecordingBuffer {
  /** The recording's id: the key it is persisted under. */
  readonly id: string;
  /** Where the bytes live; `'memory'` means a reload loses them. */
  readonly storage: RecordingStorageKind;
  /** Bytes durably stored. */
  size(): number;
  /** The name, type and start persisted with the recording; `null` for one stored without them. */
  metadata(): RecordingMetadata | null;
  /** Store `chunk` after the bytes before it; resolves once it is durable. Rejects (`source-error`) once ended. */
  append(chunk: Blob): Promise<void>;
  /** Bytes `[start, end)` of what is stored (`end <= size()`), disk-backed where the storage allows. */
  read(start: number, end: number): Promise<Blob>;
  /** No more bytes will come; persisted, so a reload knows. Idempotent. */
  markEnded(): Promise<void>;
  /** Whether the end is durably recorded. */
  ended(): boolean;
  /** Delete the stored bytes and let the id go. */
  discard(): Promise<void>;
}

/** Options for {@link openRecordingBuffer}. */
export interface RecordingBufferOptions {
  /** Where to keep the bytes. @default 'auto' (OPFS, else IndexedDB, else memory) */
  storage?: RecordingStorage;
  /** Create the recording when none is stored under the id; with `false` that rejects with `not-found`. @default true */
  create?: boolean;
  /**
   * What the recording is, persisted (before any byte) when the recording has none yet, so that it can be
   * uploaded after a crash even if no upload was created for it.
   */
  metadata?: RecordingMetadata;
}

// The buffers this page has open, by storage and id, so opening an id twice shares one writer and index.
const openBuffers = new Map<string, Promise<RecordingBuffer>>();
// How to let each open buffer go without deleting it (see closeRecordingBuffer).
const closers = new WeakMap<RecordingBuffer, () => void>();

async function openStored(
  id: string,
  store: RecordingStore,
  options: { create: boolean; metadata: RecordingMetadata | undefined },
  forget: () => void,
): Promise<RecordingBuffer> {
  // Persisted recordings outlive the page, so another tab may have this one open: take its lock first.
  const release = store.kind === 'memory' ? () => undefined : await takeRecordingLock(id);
  if (release === null) throw new TesseraError('source-error', `recording ${id} is open in another tab`);
  try {
    let stored = await store.open(id, options.create);
    if (stored === null) throw new TesseraError('not-found', `no recording ${id} is stored in ${store.kind}`);
    if (options.metadata !== undefined && stored.metadata === null) {
      try {
        await stored.writeMetadata(options.metadata);
      } catch (cause) {
        throw new TesseraError('source-error', `could not persist what recording ${id} is`, { cause });
      }
      stored = { ...stored, metadata: { ...options.metadata } };
    }
    const buffer = storedRecordingBuffer(id, store.kind, stored);
    const opened: RecordingBuffer = {
      ...buffer,
      discard: () =>
        buffer.discard().finally(() => {
          forget();
          release();
        }),
    };
    closers.set(opened, () => {
      forget();
      release();
    });
    return opened;
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Open the {@link RecordingBuffer} stored under `id`, creating it if needed. An existing one comes back as
 * it was persisted (size and ended), so a reloaded page continues from the bytes on disk. Within a page,
 * opening an id again gives the same buffer until it is discarded; a persisted recording that another tab
 * has open rejects with `source-error` (Web Locks, where the browser has them). Rejects with `invalid-field`
 * for an id that is not 1 to 200 characters. `metadata` is written only where none is stored yet.
 *
 * @example
 * ```ts
 * const buffer = await openRecordingBuffer(crypto.randomUUID(), {
 *   metadata: { name: 'take-1.webm', type: 'video/webm', startedAt: Date.now() },
 * });
 * recorder.ondataavailable = (event) => void buffer.append(event.data);
 * recorder.onstop = () => void buffer.markEnded();
 * ```
 */
export async function openRecordingBuffer(id: string, options: RecordingBufferOptions = {}): Promise<RecordingBuffer> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    throw new TesseraError('invalid-field', 'a recording id is 1 to 200 characters', { field: 'id' });
  }
  const store = await pickRecordingStore(options.storage);
  const key = `${store.kind}\n${id}`;
  let buffer = openBuffers.get(key);
  if (buffer === undefined) {
    const forget = () => openBuffers.delete(key);
    buffer = openStored(id, store, { create: options.create ?? true, metadata: options.metadata }, forget);
    buffer.catch(forget);
    openBuffers.set(key, buffer);
  }
  return buffer;
}

/**
 * Let go of a buffer this page opened only to look at it: its lock is released (other tabs may open it) and
 * the next open reads it from storage again. Nothing is deleted. Only for a buffer nothing writes to or
 * uploads from; a no-op for one already discarded or closed.
 *
 * @example
 * ```ts
 * const buffer = await openRecordingBuffer(id, { create: false });
 * if (buffer.metadata()?.scope !== scope) closeRecordingBuffer(buffer);
 * ```
 */
export function closeRecordingBuffer(buffer: RecordingBuffer): void {
  closers.get(buffer)?.();
  closers.delete(buffer);
}
