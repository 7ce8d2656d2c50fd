// Type only: importing localforage's code probes `indexedDB`, so it is loaded with `import()` on first use.
import type localforage from 'localforage';
import { TesseraError } from '../errors.js';
import { type Checkpoint, parseCheckpoint } from '../logic/checkpoint.js';
import type { CheckpointStore } from '../ports.js';

/** Options for {@link createIndexedDbCheckpointStore}. */
export interface IndexedDbCheckpointStoreOptions {
  /** Name of the database. @default 'tessera' */
  name?: string;
}

type Storage = ReturnType<typeof localforage.createInstance>;

/** A {@link CheckpointStore} in IndexedDB that can be opened ahead of its first use. */
export interface IndexedDbCheckpointStore extends CheckpointStore {
  /**
   * Load localforage and open the database now, so that the first save does not do it in the middle of an
   * upload, when the page competes for CPU with the upload itself. Rejects with `checkpoint-error`; a
   * failed open is tried again by the next call.
   */
  prepare(): Promise<void>;
}

/**
 * A {@link CheckpointStore} in IndexedDB (through localforage, which falls back to localStorage where
 * IndexedDB is missing), in the object store `checkpoints`, keyed by checkpoint id. Nothing happens until
 * the first call (or {@link IndexedDbCheckpointStore.prepare}): localforage itself is loaded then, since
 * importing it probes `indexedDB`. Stored values are read back with `parseCheckpoint`, so `load` answers
 * `null` for, and `list` leaves out, entries that are malformed or of another version (they stay stored).
 * Storage failures reject with `checkpoint-error`.
 *
 * @example
 * ```ts
 * const store = createIndexedDbCheckpointStore();
 * const unfinished = await store.list();
 * ```
 */
export function createIndexedDbCheckpointStore(options: IndexedDbCheckpointStoreOptions = {}): IndexedDbCheckpointStore {
  let storage: Promise<Storage> | undefined;

  function open(): Promise<Storage> {
    storage ??= import('localforage').then(
      ({ default: forage }) => forage.createInstance({ name: options.name ?? 'tessera', storeName: 'checkpoints' }),
      (error: unknown) => {
        storage = undefined;
        throw error;
      },
    );
    return storage;
  }

  async function run<T>(what: string, operation: (store: Storage) => Promise<T>): Promise<T> {
    try {
      return await operation(await open());
    } catch (cause) {
      throw new TesseraError('checkpoint-error', `could not ${what} checkpoints`, { cause });
    }
  }

  return {
    prepare: () => run('open', (store) => store.ready()),
    load: (id) => run('read', async (store) => parseCheckpoint(await store.getItem<unknown>(id))),
    save: (checkpoint) =>
      run('save', async (store) => {
        await store.setItem(checkpoint.id, checkpoint);
      }),
    delete: (id) => run('delete', (store) => store.removeItem(id)),
    list: () =>
      run('list', async (store) => {
        const checkpoints: Checkpoint[] = [];
        // localforage stops iterating at the first callback that returns a value: return nothing.
        await store.iterate<unknown, void>((value) => {
          const checkpoint = parseCheckpoint(value);
          if (checkpoint !== null) checkpoints.push(checkpoint);
        });
        return checkpoints;
      }),
  };
}
