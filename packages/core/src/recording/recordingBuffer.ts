import { TesseraError } from '../errors.js';
import { pickRecordingStore, type RecordingStorage } from './pickRecordingStore.js';
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
}

// The buffers this page has open, by storage and id, so opening an id twice shares one writer and index.
const openBuffers = new Map<string, Promise<RecordingBuffer>>();

async function openStored(
  id: string,
  store: RecordingStore,
  create: boolean,
  forget: () => void,
): Promise<RecordingBuffer> {
  // Persisted recordings outlive the page, so another tab may have this one open: take its lock first.
  const release = store.kind === 'memory' ? () => undefined : await takeRecordingLock(id);
  if (release === null) throw new TesseraError('source-error', `recording ${id} is open in another tab`);
  try {
    const stored = await store.open(id, create);
    if (stored === null) throw new TesseraError('not-found', `no recording ${id} is stored in ${store.kind}`);
    const buffer = storedRecordingBuffer(id, store.kind, stored);
    return {
      ...buffer,
      discard: () =>
        buffer.discard().finally(() => {
          forget();
          release();
        }),
    };
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
 * for an id that is not 1 to 200 characters.
 *
 * @example
 * ```ts
 * const buffer = await openRecordingBuffer(crypto.randomUUID());
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
    buffer = openStored(id, store, options.create ?? true, forget);
    buffer.catch(forget);
    openBuffers.set(key, buffer);
  }
  return buffer;
}
