import { type ChunkRef, chainChunks } from './chunkChain.js';
import { parseRecordingMetadata, type RecordingMetadata } from './recordingMetadata.js';
import type { RecordingStore, StoredRecording } from './recordingStore.js';

/** The part of a `FileSystemWritableFileStream` used here. */
export interface OpfsWritable {
  write(data: Blob | string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** The part of a `FileSystemFileHandle` used here. */
export interface OpfsFile {
  getFile(): Promise<File>;
  createWritable(): Promise<OpfsWritable>;
}

/**
 * The part of a `FileSystemDirectoryHandle` used here (declared because TypeScript's `DOM` lib leaves out its
 * async iterators). Missing entries reject with a `DOMException` named `NotFoundError`.
 */
export interface OpfsDirectory {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirectory>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFile>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  keys(): AsyncIterable<string>;
}

/** The directory under the origin's OPFS root holding one directory per recording. */
export const OPFS_RECORDINGS_DIRECTORY = 'tessera-recordings';
const ENDED_FILE = 'ended.json';
const METADATA_FILE = 'metadata.json';
const CHUNK_NAME = /^(\d+)-(\d+)\.chunk$/;

const chunkName = ({ offset, size }: ChunkRef) => `${offset}-${size}.chunk`;
// encodeURIComponent keeps `.`, and `.`/`..` are not valid entry names.
const directoryName = (id: string) => encodeURIComponent(id).replaceAll('.', '%2E');
const isNotFound = (error: unknown) => error instanceof DOMException && error.name === 'NotFoundError';

async function removeIfPresent(directory: OpfsDirectory, name: string, recursive = false): Promise<void> {
  try {
    await directory.removeEntry(name, { recursive });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function writeFile(directory: OpfsDirectory, name: string, data: Blob | string): Promise<void> {
  const writable = await (await directory.getFileHandle(name, { create: true })).createWritable();
  try {
    await writable.write(data);
    // Committed atomically on close: the file has all of `data`, or (crashed before) none of it.
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
}

/**
 * A {@link RecordingStore} in the Origin Private File System: a directory per recording, a file per chunk
 * (named `<offset>-<size>.chunk`, written once with `createWritable()`), `metadata.json` (name, type, start)
 * and `ended.json` once ended.
 *
 * Why a file per chunk, not one growing file: `createWritable({ keepExistingData: true })` first copies the
 * whole file into a swap file, so each append would cost the recording so far (measured in Chromium 156:
 * 1.7 s per 256 KiB append onto a 256 MiB file, against 5 ms for a new chunk file), falling behind a
 * recorder within minutes. Reads are `File`s from `getFile()` joined with `new Blob([...])`, still disk-backed,
 * so a part body is streamed from disk. The file names carry the sizes: reopening lists names, and only the
 * last chunk (the one a crash may have caught before its `close()`) is checked against its file.
 *
 * @param root - the OPFS root. @default `navigator.storage.getDirectory()`, on first use
 * @example
 * ```ts
 * const store = createOpfsRecordingStore();
 * const ids = await store.list();
 * ```
 */
export function createOpfsRecordingStore(
  root: () => Promise<OpfsDirectory> = async () => (await navigator.storage.getDirectory()) as unknown as OpfsDirectory,
): RecordingStore {
  let recordingsDirectory: Promise<OpfsDirectory> | undefined;

  function directory(): Promise<OpfsDirectory> {
    recordingsDirectory ??= root()
      .then((opfs) => opfs.getDirectoryHandle(OPFS_RECORDINGS_DIRECTORY, { create: true }))
      .catch((error: unknown) => {
        // Try again on the next call (e.g. after the user granted storage).
        recordingsDirectory = undefined;
        throw error;
      });
    return recordingsDirectory;
  }

  async function readMetadata(folder: OpfsDirectory): Promise<RecordingMetadata | null> {
    try {
      const text = await (await (await folder.getFileHandle(METADATA_FILE)).getFile()).text();
      return parseRecordingMetadata(JSON.parse(text));
    } catch {
      // Written before `close()` committed it, or by nobody: the caller falls back to what it knows.
      return null;
    }
  }

  type Loaded = { chunks: ChunkRef[]; ended: boolean; metadata: RecordingMetadata | null };

  async function load(folder: OpfsDirectory): Promise<Loaded> {
    const found: ChunkRef[] = [];
    let ended = false;
    let hasMetadata = false;
    for await (const name of folder.keys()) {
      const match = CHUNK_NAME.exec(name);
      if (match) found.push({ offset: Number(match[1]), size: Number(match[2]) });
      // Present, even empty (a crash during its write), means ended: every append before it was durable.
      else if (name === ENDED_FILE) ended = true;
      else if (name === METADATA_FILE) hasMetadata = true;
    }
    const { chain, strays } = chainChunks(found);
    const last = chain.at(-1);
    if (last !== undefined && (await (await folder.getFileHandle(chunkName(last))).getFile()).size !== last.size) {
      strays.push(last);
      chain.pop();
    }
    // Leftovers of a crash or an interrupted discard; a later append may reuse their offsets.
    for (const stray of strays) await removeIfPresent(folder, chunkName(stray));
    return { chunks: chain, ended, metadata: hasMetadata ? await readMetadata(folder) : null };
  }

  function stored(id: string, folder: OpfsDirectory, state: Loaded): StoredRecording {
    return {
      ...state,
      writeChunk: (offset, chunk) => writeFile(folder, chunkName({ offset, size: chunk.size }), chunk),
      readChunks: (chunks) =>
        Promise.all(
          chunks.map(async (chunk) => {
            const file = await (await folder.getFileHandle(chunkName(chunk))).getFile();
            if (file.size !== chunk.size) throw new Error(`chunk ${chunkName(chunk)} of ${id} holds ${file.size} bytes`);
            return file;
          }),
        ),
      markEnded: () => writeFile(folder, ENDED_FILE, JSON.stringify({ version: 1, ended: true })),
      writeMetadata: (metadata) => writeFile(folder, METADATA_FILE, JSON.stringify({ version: 1, ...metadata })),
      remove: async () => removeIfPresent(await directory(), directoryName(id), true),
    };
  }

  return {
    kind: 'opfs',
    async open(id, create) {
      let folder: OpfsDirectory;
      try {
        folder = await (await directory()).getDirectoryHandle(directoryName(id), { create });
      } catch (error) {
        if (!create && isNotFound(error)) return null;
        throw error;
      }
      return stored(id, folder, await load(folder));
    },
    async list() {
      const ids: string[] = [];
      for await (const name of (await directory()).keys()) {
        try {
          ids.push(decodeURIComponent(name));
        } catch {
          // Not a name this store wrote.
        }
      }
      return ids;
    },
  };
}
