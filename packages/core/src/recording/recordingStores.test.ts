/**
 * What every RecordingStore does, run against the memory store, the OPFS store over an in-memory stand-in
 * for OPFS (with its swap-on-close writes) and the IndexedDB store over an in-memory key-value store. Real
 * OPFS and IndexedDB are exercised in Chromium by the browser tests.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIndexedDbRecordingStore, type RecordingKeyValueStore } from './indexedDbRecordingStore.js';
import { createMemoryRecordingStore } from './memoryRecordingStore.js';
import { createOpfsRecordingStore, OPFS_RECORDINGS_DIRECTORY } from './opfsRecordingStore.js';
import type { RecordingLocks } from './recordingLock.js';
import { fakeLocks, FakeOpfsDirectory } from '../../test/fakeOpfs.js';
import type { RecordingStore, StoredRecording } from './recordingStore.js';

/** localforage's surface over a Map. */
class FakeKeyValueStore implements RecordingKeyValueStore {
  readonly items = new Map<string, unknown>();
  getItem = async <T>(key: string) => (this.items.get(key) ?? null) as T | null;
  setItem = async <T>(key: string, value: T) => (this.items.set(key, value), value);
  removeItem = async (key: string) => void this.items.delete(key);
  keys = async () => [...this.items.keys()];
}

const text = async (blobs: Blob[]) => new Blob(blobs).text();

async function opened(store: RecordingStore, id: string): Promise<StoredRecording> {
  const recording = await store.open(id, true);
  if (recording === null) throw new Error('open with create gave null');
  return recording;
}

describe.each([
  { name: 'memory', create: () => createMemoryRecordingStore() },
  { name: 'opfs', create: () => createOpfsRecordingStore(async () => new FakeOpfsDirectory()) },
  { name: 'indexeddb', create: () => createIndexedDbRecordingStore(async () => new FakeKeyValueStore()) },
])('$name recording store', ({ create }) => {
  it('creates an empty recording, or answers null without create', async () => {
    const store = create();
    expect(await store.open('missing', false)).toBeNull();
    const recording = await opened(store, 'rec-1');
    expect(recording).toMatchObject({ chunks: [], ended: false });
    expect(await store.list()).toStrictEqual(['rec-1']);
  });

  it('reads back written chunks, and reopens with them and the end', async () => {
    const store = create();
    const recording = await opened(store, 'rec-1');
    await recording.writeChunk(0, new Blob(['hello ']));
    await recording.writeChunk(6, new Blob(['world']));
    expect(await text(await recording.readChunks([{ offset: 6, size: 5 }, { offset: 0, size: 6 }]))).toBe('worldhello ');
    await recording.markEnded();

    const reopened = await store.open('rec-1', false);
    expect(reopened).toMatchObject({ chunks: [{ offset: 0, size: 6 }, { offset: 6, size: 5 }], ended: true });
    expect(await text((await reopened?.readChunks(reopened.chunks)) ?? [])).toBe('hello world');
  });

  it('keeps the metadata written, through the end and a reopen; none until written', async () => {
    const store = create();
    const recording = await opened(store, 'rec-1');
    expect(recording.metadata).toBeNull();
    await recording.writeMetadata({ name: 'take.webm', type: 'video/webm', startedAt: 1_700_000_000_000 });
    await recording.writeChunk(0, new Blob(['bytes']));
    await recording.markEnded();
    expect(await store.open('rec-1', false)).toMatchObject({
      ended: true,
      chunks: [{ offset: 0, size: 5 }],
      metadata: { name: 'take.webm', type: 'video/webm', startedAt: 1_700_000_000_000 },
    });
  });

  it('keeps recordings apart, ids with separators and dots included', async () => {
    const store = create();
    const ids = ['a', 'a:0:5', '..', 'x/y z'];
    for (const [index, id] of ids.entries()) await (await opened(store, id)).writeChunk(0, new Blob([`#${index}`]));
    expect((await store.list()).sort()).toStrictEqual([...ids].sort());
    for (const [index, id] of ids.entries()) {
      const recording = await store.open(id, false);
      expect(recording?.chunks).toStrictEqual([{ offset: 0, size: 2 }]);
      expect(await text((await recording?.readChunks(recording.chunks)) ?? [])).toBe(`#${index}`);
    }
  });

  it('removes a recording and everything in it', async () => {
    const store = create();
    const recording = await opened(store, 'rec-1');
    await recording.writeChunk(0, new Blob(['bytes']));
    await recording.remove();
    await recording.remove();
    expect(await store.list()).toStrictEqual([]);
    expect(await store.open('rec-1', false)).toBeNull();
    await expect(recording.readChunks([{ offset: 0, size: 5 }])).rejects.toThrow();
    expect((await opened(store, 'rec-1')).chunks).toStrictEqual([]);
  });
});

describe('the OPFS store after a crash', () => {
  async function crashed() {
    const root = new FakeOpfsDirectory();
    const store = createOpfsRecordingStore(async () => root);
    const recording = await opened(store, 'rec-1');
    await recording.writeChunk(0, new Blob(['hello']));
    await recording.writeChunk(5, new Blob([' world']));
    const folder = await (await root.getDirectoryHandle(OPFS_RECORDINGS_DIRECTORY)).getDirectoryHandle('rec-1');
    return { store, folder };
  }

  it('drops a last chunk caught before its close, and the chunks after a gap', async () => {
    const { store, folder } = await crashed();
    await folder.getFileHandle('11-4.chunk', { create: true }); // created, never closed: empty
    await folder.getFileHandle('20-3.chunk', { create: true });
    const reopened = await store.open('rec-1', false);
    expect(reopened?.chunks).toStrictEqual([{ offset: 0, size: 5 }, { offset: 5, size: 6 }]);
    expect([...folder.entries.keys()].sort()).toStrictEqual(['0-5.chunk', '5-6.chunk']);
  });

  it('leaves a failed write out, and a later write at its offset works', async () => {
    const { store, folder } = await crashed();
    folder.quotaExceeded = true;
    const recording = await store.open('rec-1', false);
    await expect(recording?.writeChunk(11, new Blob(['!']))).rejects.toThrow('quota');
    folder.quotaExceeded = false;
    const reopened = await store.open('rec-1', false);
    expect(reopened?.chunks).toHaveLength(2);
    await reopened?.writeChunk(11, new Blob(['!!']));
    expect(await text((await reopened?.readChunks([{ offset: 11, size: 2 }])) ?? [])).toBe('!!');
  });

  it('reads a metadata file cut short by a crash as none', async () => {
    const { store, folder } = await crashed();
    await (await store.open('rec-1', false))?.writeMetadata({ name: 'take.webm', type: 'video/webm', startedAt: 1 });
    expect((await store.open('rec-1', false))?.metadata).toMatchObject({ name: 'take.webm' });
    (await folder.getFileHandle('metadata.json')).data = new Blob(['{"version":1,"name":"ta']);
    expect((await store.open('rec-1', false))?.metadata).toBeNull();
  });

  it('rejects reading a chunk whose file does not hold its bytes', async () => {
    const { store, folder } = await crashed();
    const recording = await store.open('rec-1', false);
    (await folder.getFileHandle('0-5.chunk')).data = new Blob(['hel']);
    await expect(recording?.readChunks([{ offset: 0, size: 5 }])).rejects.toThrow('holds 3 bytes');
  });
});

describe('the IndexedDB store after a crash', () => {
  it('clears chunks left by an interrupted removal before creating the id again', async () => {
    const database = new FakeKeyValueStore();
    const store = createIndexedDbRecordingStore(async () => database);
    database.items.set('chunk:rec-1:0:5', new Blob(['stale']));
    database.items.set('chunk:rec-1:0:7:2', new Blob(['no']));
    const recording = await opened(store, 'rec-1');
    expect(recording.chunks).toStrictEqual([]);
    expect([...database.items.keys()].sort()).toStrictEqual(['chunk:rec-1:0:7:2', 'recording:rec-1']);
  });

  it('keeps the gap-free chunks of a recording and deletes the rest', async () => {
    const database = new FakeKeyValueStore();
    const store = createIndexedDbRecordingStore(async () => database);
    await (await opened(store, 'rec-1')).writeChunk(0, new Blob(['hello']));
    database.items.set('chunk:rec-1:9:1', new Blob(['x']));
    expect((await store.open('rec-1', false))?.chunks).toStrictEqual([{ offset: 0, size: 5 }]);
    expect(database.items.has('chunk:rec-1:9:1')).toBe(false);
  });

  it('opens the database once, and again after a failure', async () => {
    let opens = 0;
    const store = createIndexedDbRecordingStore(async () => {
      opens += 1;
      if (opens === 1) throw new Error('blocked');
      return new FakeKeyValueStore();
    });
    await expect(store.list()).rejects.toThrow('blocked');
    await store.list();
    await store.open('rec-1', true);
    expect(opens).toBe(2);
  });
});

/**
 * A page of a browser with OPFS (over `root`) and, unless `locks` is null, Web Locks: the recording modules
 * loaded afresh, as after a reload.
 */
async function browserPage(root: FakeOpfsDirectory, locks: RecordingLocks | null) {
  vi.stubGlobal('navigator', { storage: { getDirectory: async () => root }, ...(locks && { locks }) });
  vi.stubGlobal('FileSystemFileHandle', class {
    createWritable(): void {}
  });
  vi.resetModules();
  const [{ openRecordingBuffer }, { listRecordings }] = await Promise.all([
    import('./recordingBuffer.js'),
    import('./listRecordings.js'),
  ]);
  return { openRecordingBuffer, listRecordings };
}

describe('recording buffers in a browser with OPFS', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('picks OPFS, and a reloaded page continues from the bytes on disk', async () => {
    const root = new FakeOpfsDirectory();
    const first = await browserPage(root, fakeLocks().locks);
    const buffer = await first.openRecordingBuffer('rec-1');
    expect(buffer.storage).toBe('opfs');
    await Promise.all([buffer.append(new Blob(['recorded '])), buffer.append(new Blob(['before']))]);

    const reloaded = await browserPage(root, fakeLocks().locks);
    expect(await reloaded.listRecordings()).toStrictEqual(['rec-1']);
    const reopened = await reloaded.openRecordingBuffer('rec-1', { create: false });
    expect({ size: reopened.size(), ended: reopened.ended() }).toStrictEqual({ size: 15, ended: false });
    expect(await (await reopened.read(4, 15)).text()).toBe('rded before');
    await reopened.markEnded();
    await reopened.discard();
    expect(await reloaded.listRecordings()).toStrictEqual([]);
  });

  it('holds a recording\'s lock until discarded: other tabs can neither open nor list it', async () => {
    const root = new FakeOpfsDirectory();
    const { held, locks } = fakeLocks();
    const page = await browserPage(root, locks);
    const buffer = await page.openRecordingBuffer('rec-1');
    expect(held).toStrictEqual(new Set(['tessera-recording:rec-1']));

    const otherTab = await browserPage(root, locks);
    expect(await otherTab.listRecordings()).toStrictEqual([]);
    // The modules were loaded afresh, so the error class is another one than the one imported here.
    await expect(otherTab.openRecordingBuffer('rec-1', { create: false })).rejects.toMatchObject({
      code: 'source-error',
      message: 'recording rec-1 is open in another tab',
    });

    await buffer.discard();
    expect(held).toStrictEqual(new Set());
  });

  it('works without Web Locks', async () => {
    const page = await browserPage(new FakeOpfsDirectory(), null);
    const buffer = await page.openRecordingBuffer('rec-1');
    await buffer.append(new Blob(['x']));
    expect(await page.listRecordings()).toStrictEqual(['rec-1']);
    await buffer.discard();
  });
});
