/** One upload, one page: a second page that resumes the same checkpoint waits, then takes over. */
import { describe, expect, it } from 'vitest';
import { createHashWasmHasher } from '../src/adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../src/adapters/memoryCheckpointStore.js';
import { createWebLocksUploadLock } from '../src/adapters/uploadLock.js';
import { createUpload, resumeUpload, type UploadOptions } from '../src/createUpload.js';
import { bytes, FakeNetwork, FakeServer, ManualClock, ScriptedUploader } from './fakes.js';
import { fakeLockManager } from './fakeLockManager.js';

const settle = () => new Promise((done) => setTimeout(done, 20));

/** Two pages of one browser: the same server, checkpoint store and lock manager; a page's own uploader. */
function browser() {
  const server = new FakeServer(new ManualClock(), 10);
  const checkpoints = createMemoryCheckpointStore();
  const manager = fakeLockManager();
  const page = (uploader: ScriptedUploader): Omit<UploadOptions, 'source'> => ({
    endpoint: '/api/uploads',
    transport: server,
    uploader,
    hasher: createHashWasmHasher(),
    checkpoints,
    network: new FakeNetwork(),
    clock: server.clock,
    lock: createWebLocksUploadLock(manager),
  });
  return { server, checkpoints, page };
}

/** Resolves once `upload` has `count` parts stored. */
function stored(upload: ReturnType<typeof createUpload>, count: number): Promise<void> {
  return new Promise((done) => {
    const stop = upload.subscribe((snapshot) => {
      if (snapshot.parts.filter((part) => part.status === 'done').length >= count) {
        stop();
        done();
      }
    });
  });
}

describe('one upload, one page', () => {
  it('a second page waits as "elsewhere", sends nothing, and takes over when the first page goes away', async () => {
    const { server, checkpoints, page } = browser();
    const data = bytes(45);
    const file = new File([data], 'clip.bin', { lastModified: 1 });
    const firstUploader = new ScriptedUploader(server, { 3: ['hang'], 4: ['hang'], 5: ['hang'] });
    const first = createUpload({ ...page(firstUploader), source: file, autoStart: true });
    await stored(first, 2);
    await settle();
    const [checkpoint] = await checkpoints.list();
    if (!checkpoint) throw new Error('no checkpoint');

    const secondUploader = new ScriptedUploader(server);
    const second = resumeUpload(checkpoint, { ...page(secondUploader), source: file });
    second.start();
    await settle();
    expect(second.getSnapshot().status).toBe('elsewhere');
    expect(secondUploader.attempts).toEqual([]);
    // Cancelling there stops only this page's waiting: the upload and its checkpoint are the other page's.
    expect(server.calls.filter((call) => call === 'abort')).toEqual([]);

    first.actor.stop(); // the first tab closes: its lock goes with it
    const result = await second.done();
    expect(result.size).toBe(45);
    // The second page sent what the store lacked, once each.
    expect(secondUploader.attempts.sort()).toEqual([3, 4, 5]);
    expect(Buffer.concat([1, 2, 3, 4, 5].map((n) => server.stored.get(n)?.bytes ?? new Uint8Array()))).toEqual(Buffer.from(data));
  });

  it('cancelling while another page sends the upload aborts nothing on the server and keeps the checkpoint', async () => {
    const { server, checkpoints, page } = browser();
    const file = new File([bytes(25)], 'clip.bin', { lastModified: 1 });
    const first = createUpload({ ...page(new ScriptedUploader(server, { 2: ['hang'], 3: ['hang'] })), source: file, autoStart: true });
    await stored(first, 1);
    await settle();
    const [checkpoint] = await checkpoints.list();
    if (!checkpoint) throw new Error('no checkpoint');
    const second = resumeUpload(checkpoint, { ...page(new ScriptedUploader(server)), source: file, autoStart: true });
    await settle();
    expect(second.getSnapshot().status).toBe('elsewhere');
    second.abort();
    await second.done().catch(() => undefined);
    expect(second.getSnapshot().status).toBe('aborted');
    expect(server.calls).not.toContain('abort');
    expect(await checkpoints.list()).toHaveLength(1);
    expect(first.getSnapshot().status).toBe('uploading');
    first.abort();
  });
});
