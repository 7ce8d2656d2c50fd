// localforage is loaded with `import()` on first use: importing its code probes `indexedDB`.
import { type ChunkRef, chainChunks } from './chunkChain.js';
import { parseRecordingMetadata, type RecordingMetadata } from './recordingMetadata.js';
import type { RecordingStore, StoredRecording } from './recordingStore.js';

/** The part of a localforage instance used here. */
export interface RecordingKeyValueStore {
  getItem<T>(key: string): Promise<T | null>;
  setItem<T>(key: string, value: T): Promise<T>;
  removeItem(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** The record saying a recording exists, whether it ended, and what it is. */
interface RecordingMeta {
  version: 1;
  ended: boolean;
  metadata?: RecordingMetadata;
}

const META_PREFIX = 'recording:';
const CHUNK_PREFIX = 'chunk:';
const metaKey = (id: string) => `${META_PREFIX}${id}`;
// `chunk:<id>:<offset>:<size>`: the id may hold colons, the two numbers after the last ones cannot.
const chunkKey = (id: string, { offset, size }: ChunkRef) => `${CHUNK_PREFIX}${id}:${offset}:${size}`;

function chunksOf(id: string, keys: readonly string[]): ChunkRef[] {
  const prefix = `${CHUNK_PREFIX}${id}:`;
  const chunks: ChunkRef[] = [];
  for (const key of keys) {
    const match = key.startsWith(prefix) ? /^(\d+):(\d+)$/.exec(key.slice(prefix.length)) : null;
    if (match) chunks.push({ offset: Number(match[1]), size: Number(match[2]) });
  }
  return chunks;
}

/** localforage's IndexedDB driver only: its other drivers would store recordings as base64 strings. */
async function openLocalforage(): Promise<RecordingKeyValueStore> {
  const { default: forage } = await import('localforage');
  const instance = forage.createInstance({
    name: 'tessera-recordings',
    storeName: 'recordings',
    driver: forage.INDEXEDDB,
  });
  await instance.ready();
  return instance;
}

/**
 * A {@link RecordingStore} in IndexedDB (through localforage, loaded on first use): the database
 * `tessera-recordings`, a record `recording:<id>` per recording (its end and metadata) and a `Blob` record
 * per chunk, keyed `chunk:<id>:<offset>:<size>`. Each record is written in its own transaction, so a chunk is
 * there whole or not at all, and the keys alone say which bytes are stored. Chunks read back are IndexedDB's
 * disk-backed `Blob`s, joined with `new Blob([...])`.
 *
 * @param open - the key-value store. @default a localforage instance on the IndexedDB driver, on first use
 * @example
 * ```ts
 * const store = createIndexedDbRecordingStore();
 * const ids = await store.list();
 * ```
 */
export function createIndexedDbRecordingStore(
  open: () => Promise<RecordingKeyValueStore> = openLocalforage,
): RecordingStore {
  let storage: Promise<RecordingKeyValueStore> | undefined;

  function database(): Promise<RecordingKeyValueStore> {
    storage ??= open().catch((error: unknown) => {
      storage = undefined;
      throw error;
    });
    return storage;
  }

  async function removeChunks(store: RecordingKeyValueStore, id: string, chunks: readonly ChunkRef[]): Promise<void> {
    for (const chunk of chunks) await store.removeItem(chunkKey(id, chunk));
  }

  function stored(store: RecordingKeyValueStore, id: string, chunks: ChunkRef[], meta: RecordingMeta): StoredRecording {
    // The one record holds both the end and the metadata: each write keeps what the other wrote.
    let record: RecordingMeta = { version: 1, ended: meta.ended === true };
    const metadata = parseRecordingMetadata(meta.metadata);
    if (metadata !== null) record.metadata = metadata;
    const write = async (change: Partial<RecordingMeta>) => {
      const next = { ...record, ...change };
      await store.setItem<RecordingMeta>(metaKey(id), next);
      record = next;
    };
    return {
      chunks,
      ended: record.ended,
      metadata,
      writeChunk: async (offset, chunk) => {
        await store.setItem(chunkKey(id, { offset, size: chunk.size }), chunk);
      },
      readChunks: (refs) =>
        Promise.all(
          refs.map(async (ref) => {
            const blob = await store.getItem<unknown>(chunkKey(id, ref));
            if (!(blob instanceof Blob) || blob.size !== ref.size) throw new Error(`${chunkKey(id, ref)} is missing`);
            return blob;
          }),
        ),
      markEnded: () => write({ ended: true }),
      writeMetadata: (value) => write({ metadata: { ...value } }),
      remove: async () => {
        // The record first: an interrupted removal leaves chunks no one lists, cleared when the id is opened.
        await store.removeItem(metaKey(id));
        await removeChunks(store, id, chunksOf(id, await store.keys()));
      },
    };
  }

  return {
    kind: 'indexeddb',
    async open(id, create) {
      const store = await database();
      const meta = await store.getItem<RecordingMeta>(metaKey(id));
      if (meta === null && !create) return null;
      const keys = await store.keys();
      if (meta === null) {
        await removeChunks(store, id, chunksOf(id, keys));
        const created: RecordingMeta = { version: 1, ended: false };
        await store.setItem<RecordingMeta>(metaKey(id), created);
        return stored(store, id, [], created);
      }
      const { chain, strays } = chainChunks(chunksOf(id, keys));
      await removeChunks(store, id, strays);
      return stored(store, id, chain, meta);
    },
    async list() {
      const keys = await (await database()).keys();
      return keys.filter((key) => key.startsWith(META_PREFIX)).map((key) => key.slice(META_PREFIX.length));
    },
  };
}
