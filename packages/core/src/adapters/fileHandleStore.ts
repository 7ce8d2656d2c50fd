// Type only: importing localforage's code probes `indexedDB`, so it is loaded with `import()` on first use.
import type localforage from 'localforage';
import { TesseraError } from '../errors.js';

/**
 * What Tessera needs of a `FileSystemFileHandle` (from `showOpenFilePicker`, a drop's
 * `getAsFileSystemHandle()`, or OPFS): the file, and the read permission the browser keeps for it.
 */
export interface FileHandleLike {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

/** Keeps file handles by upload id, so an upload can resume after a reload without the file being picked again. */
export interface FileHandleStore {
  save(id: string, handle: FileHandleLike): Promise<void>;
  load(id: string): Promise<FileHandleLike | null>;
  delete(id: string): Promise<void>;
}

type Storage = ReturnType<typeof localforage.createInstance>;

/**
 * A {@link FileHandleStore} in IndexedDB (file handles are structured-cloneable; browsers that have them keep
 * them across reloads). Nothing happens until the first call.
 *
 * @example
 * ```ts
 * const [handle] = await showOpenFilePicker();
 * const upload = createUpload({ source: await handle.getFile(), fileHandle: handle, endpoint: '/api/uploads' });
 * ```
 */
export function createIndexedDbFileHandleStore(options: { name?: string } = {}): FileHandleStore {
  let storage: Promise<Storage> | undefined;
  const open = () =>
    (storage ??= import('localforage').then(({ default: forage }) =>
      forage.createInstance({
        name: options.name ?? 'tessera-file-handles',
        storeName: 'handles',
        driver: forage.INDEXEDDB,
      }),
    ));
  async function run<T>(what: string, operation: (store: Storage) => Promise<T>): Promise<T> {
    try {
      return await operation(await open());
    } catch (cause) {
      throw new TesseraError('checkpoint-error', `could not ${what} the file handle`, { cause });
    }
  }
  return {
    save: (id, handle) =>
      run('save', async (store) => {
        await store.setItem(id, handle);
      }),
    load: (id) => run('read', (store) => store.getItem<FileHandleLike>(id)),
    delete: (id) => run('delete', (store) => store.removeItem(id)),
  };
}

/**
 * The file behind a kept handle, if the browser still lets this page read it. With `request: true` (call it
 * from a user gesture, e.g. a "Resume" button) the browser may ask the user; otherwise `null` when it would.
 *
 * @example
 * ```ts
 * resumeButton.onclick = async () => {
 *   const file = await fileFromHandle(handle, { request: true });
 *   if (file) resumeUpload(checkpoint, { source: file, endpoint: checkpoint.endpoint }).start();
 * };
 * ```
 */
export async function fileFromHandle(
  handle: FileHandleLike,
  options: { request?: boolean } = {},
): Promise<File | null> {
  const descriptor = { mode: 'read' } as const;
  let permission = (await handle.queryPermission?.(descriptor)) ?? 'granted';
  if (permission === 'prompt' && options.request) {
    permission = (await handle.requestPermission?.(descriptor)) ?? 'denied';
  }
  if (permission !== 'granted') return null;
  try {
    return await handle.getFile();
  } catch {
    return null; // moved or deleted since
  }
}
