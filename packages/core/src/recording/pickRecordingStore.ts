import { TesseraError } from '../errors.js';
import { createIndexedDbRecordingStore } from './indexedDbRecordingStore.js';
import { createMemoryRecordingStore } from './memoryRecordingStore.js';
import { createOpfsRecordingStore } from './opfsRecordingStore.js';
import type { RecordingStorageKind, RecordingStore } from './recordingStore.js';

/** Which storage to keep recordings in: a kind, or `'auto'` for the best one the browser has. */
export type RecordingStorage = 'auto' | RecordingStorageKind;

// Created on first use, one per page: no browser global is read on import.
let detected: Promise<RecordingStore> | undefined;
const stores = new Map<RecordingStorageKind, Promise<RecordingStore>>();

function hasOpfsWritables(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.storage?.getDirectory === 'function' &&
    typeof FileSystemFileHandle !== 'undefined' &&
    // Safari had OPFS long before it had `createWritable` outside workers.
    'createWritable' in FileSystemFileHandle.prototype
  );
}

/** Open a store of `kind` and make one call, so an unusable storage (private mode, say) fails here. */
async function probe(kind: RecordingStorageKind): Promise<RecordingStore> {
  if (kind === 'memory') return createMemoryRecordingStore();
  if (kind === 'opfs' && !hasOpfsWritables()) throw new Error('this browser has no OPFS with createWritable');
  if (kind === 'indexeddb' && typeof indexedDB === 'undefined') throw new Error('this browser has no IndexedDB');
  const store = kind === 'opfs' ? createOpfsRecordingStore() : createIndexedDbRecordingStore();
  await store.list();
  return store;
}

function storeOf(kind: RecordingStorageKind): Promise<RecordingStore> {
  let store = stores.get(kind);
  if (store === undefined) {
    store = probe(kind).catch((cause: unknown) => {
      stores.delete(kind);
      throw new TesseraError('source-error', `recordings cannot be stored in ${kind}`, { cause });
    });
    stores.set(kind, store);
  }
  return store;
}

/**
 * The store for `storage`, created once per page. `'auto'` detects once: OPFS where it can be written
 * (`navigator.storage.getDirectory` and `createWritable`), else IndexedDB, else memory (nothing survives a
 * reload then: check the buffer's `storage`). A named kind that is unavailable rejects with `source-error`.
 *
 * @example
 * ```ts
 * const store = await pickRecordingStore('auto');
 * store.kind // 'opfs' in Chromium
 * ```
 */
export function pickRecordingStore(storage: RecordingStorage = 'auto'): Promise<RecordingStore> {
  if (storage !== 'auto') return storeOf(storage);
  detected ??= storeOf('opfs')
    .catch(() => storeOf('indexeddb'))
    .catch(() => storeOf('memory'));
  return detected;
}
