/** Unfinished uploads are listed and cleared per scope: on a shared browser, one user never sees another's. */
import { describe, expect, it } from 'vitest';
import { createHashWasmHasher } from '../src/adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../src/adapters/memoryCheckpointStore.js';
import { clearUnfinishedUploads, createUpload, findResumableUploads, type Upload } from '../src/createUpload.js';
import { parseCheckpoint } from '../src/logic/checkpoint.js';
import { bytes, FakeNetwork, FakeServer, ManualClock, ScriptedUploader } from './fakes.js';
import { sampleCheckpoint } from './sampleCheckpoint.js';

const checkpoints = () => createMemoryCheckpointStore();

/** An upload of `scope` that stores its first part and then hangs: unfinished, with a checkpoint. */
async function unfinished(store: ReturnType<typeof checkpoints>, server: FakeServer, scope: string | undefined, id: string) {
  const upload: Upload = createUpload({
    source: new Blob([bytes(25)]),
    endpoint: '/api/uploads',
    id,
    ...(scope !== undefined && { scope }),
    transport: server,
    uploader: new ScriptedUploader(server, { 2: ['hang'], 3: ['hang'] }),
    hasher: createHashWasmHasher(),
    checkpoints: store,
    network: new FakeNetwork(),
    clock: server.clock,
    autoStart: true,
  });
  await new Promise<void>((done) => {
    const stop = upload.subscribe((snapshot) => {
      if (snapshot.parts.some((part) => part.status === 'done')) {
        stop();
        done();
      }
    });
  });
  return upload;
}

describe('scopes of unfinished uploads', () => {
  it('lists a scope’s uploads only, and unscoped ones only without a scope', async () => {
    const store = checkpoints();
    const server = new FakeServer(new ManualClock(), 10);
    await unfinished(store, server, 'ada', 'a');
    await unfinished(store, server, 'bob', 'b');
    await unfinished(store, server, undefined, 'c');
    await new Promise((done) => setTimeout(done, 20));
    const ids = async (scope?: string) =>
      (await findResumableUploads({ checkpoints: store, ...(scope !== undefined && { scope }) })).map((c) => c.id);
    expect(await ids('ada')).toEqual(['a']);
    expect(await ids('bob')).toEqual(['b']);
    expect(await ids()).toEqual(['c']);
    expect(await ids('eve')).toEqual([]);
    expect((await store.load('a'))?.scope).toBe('ada');
  });

  it('clears a scope at sign-out, aborting its uploads on the server, and leaves the others', async () => {
    const store = checkpoints();
    const server = new FakeServer(new ManualClock(), 10);
    await unfinished(store, server, 'ada', 'a');
    await unfinished(store, server, 'bob', 'b');
    await new Promise((done) => setTimeout(done, 20));
    server.calls.length = 0;
    expect(await clearUnfinishedUploads({ checkpoints: store, scope: 'ada', abort: { transport: server } })).toBe(1);
    expect(server.calls).toEqual(['abort']);
    expect((await store.list()).map((checkpoint) => checkpoint.id)).toEqual(['b']);
    expect(await clearUnfinishedUploads({ checkpoints: store, scope: 'ada' })).toBe(0);
  });

  it('forgets even when the server cannot be reached for the abort', async () => {
    const store = checkpoints();
    await store.save(sampleCheckpoint({ id: 'x', scope: 'ada' }));
    const unreachable = new FakeServer(new ManualClock(), 10);
    unreachable.abort = async () => {
      throw new Error('offline');
    };
    expect(await clearUnfinishedUploads({ checkpoints: store, scope: 'ada', abort: { transport: unreachable } })).toBe(1);
    expect(await store.list()).toEqual([]);
  });

  it('reads checkpoints written before scopes existed as unscoped', () => {
    const { scope: _scope, ...older } = sampleCheckpoint();
    expect(parseCheckpoint(older)?.scope).toBeNull();
    expect(parseCheckpoint({ ...older, scope: 'ada' })?.scope).toBe('ada');
    expect(parseCheckpoint({ ...older, scope: 7 })).toBeNull();
  });
});
