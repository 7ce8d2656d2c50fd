/**
 * What a reopened page finds of recordings cut off with their tab, however early, through the real engine,
 * recording buffers over OPFS in memory (each "page" loads the modules afresh, with its own Web Locks: a
 * dead page's locks are gone) and a server with the real handler's completion semantics.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHashWasmHasher } from '../adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../adapters/memoryCheckpointStore.js';
import { FakeNetwork } from '../../test/fakes.js';
import { fakeLocks, FakeOpfsDirectory } from '../../test/fakeOpfs.js';
import { FakeUploadServer } from '../../test/fakeUploadServer.js';

const ENDPOINT = '/api/uploads';
const STARTED = Date.parse('2026-03-01T10:00:00Z');

class FakeRecorder extends EventTarget {
  readonly mimeType = 'video/webm;codecs=vp9';
  data(text: string): void {
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([text]) }));
  }
}

/** One browser: its OPFS, its checkpoints, and the server it talks to; `page()` is a (re)loaded tab. */
function browser() {
  const root = new FakeOpfsDirectory();
  const checkpoints = createMemoryCheckpointStore();
  const server = new FakeUploadServer(() => Date.now());
  const network = new FakeNetwork();
  const hasher = createHashWasmHasher();
  async function page() {
    vi.stubGlobal('navigator', { storage: { getDirectory: async () => root }, locks: fakeLocks().locks });
    vi.stubGlobal('FileSystemFileHandle', class {
      createWritable(): void {}
    });
    vi.resetModules();
    const core = await import('../index.js');
    server.errorClass = core.TesseraError;
    const ports = { endpoint: ENDPOINT, transport: server, checkpoints };
    const uploadOptions = { ...ports, uploader: server.uploader(), hasher, network };
    return {
      core,
      find: (scope?: string) => core.findRecoverableRecordings({ ...ports, ...(scope !== undefined && { scope }) }),
      continue: (recording: Parameters<typeof core.continueRecording>[0]) =>
        core.continueRecording(recording, { ...uploadOptions, autoStart: true }),
      discard: (recording: Parameters<typeof core.discardRecording>[0]) => core.discardRecording(recording, ports),
      /** Start recording `chunks` (each persisted before the next), uploading while it records unless told. */
      async record(chunks: string[], options: { upload?: boolean; scope?: string } = {}) {
        vi.setSystemTime(STARTED);
        const recorder = new FakeRecorder();
        const scope = options.scope;
        const source = await core.fromMediaRecorder(recorder, { id: `rec-${chunks.length}`, ...(scope && { scope }) });
        vi.useRealTimers();
        const upload =
          options.upload === false ? null : core.createUpload({ ...uploadOptions, source, autoStart: true, ...(scope && { scope }) });
        let size = 0;
        for (const chunk of chunks) {
          recorder.data(chunk);
          size += chunk.length;
          await vi.waitFor(() => expect(source.size).toBe(size));
        }
        const stop = async () => {
          recorder.dispatchEvent(new Event('stop'));
          await vi.waitFor(() => expect(source.ended).toBe(true));
        };
        return { source, upload, stop };
      },
    };
  }
  return { root, checkpoints, server, page };
}

/** Ids of the recordings on the browser's OPFS, whoever holds them. */
async function onDisk(root: FakeOpfsDirectory): Promise<string[]> {
  const recordings = root.entries.get('tessera-recordings');
  return recordings instanceof FakeOpfsDirectory ? [...recordings.entries.keys()] : [];
}

const checkpointSaved = async (checkpoints: ReturnType<typeof createMemoryCheckpointStore>, parts = 0) =>
  vi.waitFor(async () => expect((await checkpoints.list())[0]?.parts).toHaveLength(parts));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('findRecoverableRecordings', () => {
  it('killed before the server created the upload: offered by its stored name and type, uploaded as a new one', async () => {
    const { page, server, checkpoints, root } = browser();
    const first = await page();
    vi.useFakeTimers({ toFake: ['Date'] });
    await first.record(['webm-', 'head-', 'frames'], { upload: false }); // the tab dies before create answers

    const reopened = await page();
    const [found, ...others] = await reopened.find();
    expect(others).toStrictEqual([]);
    expect(found).toStrictEqual({
      id: 'rec-3',
      name: 'recording-2026-03-01T10-00-00.000Z.webm',
      type: 'video/webm',
      scope: null,
      startedAt: STARTED,
      recordedBytes: 16,
      checkpoint: null,
      uploadedBytes: 0,
      unverified: null,
    });
    const upload = await reopened.continue(found ?? expect.unreachable());
    const result = await upload.done();
    expect(result).toMatchObject({ size: 16 });
    const stored = [...server.uploads.values()];
    expect(stored.map((item) => [item.request.fileName, item.state])).toStrictEqual([[found?.name, 'completed']]);
    expect(Buffer.from(stored[0]?.object ?? []).toString()).toBe('webm-head-frames');
    await vi.waitFor(async () => expect(await onDisk(root)).toStrictEqual([]));
    expect(await checkpoints.list()).toStrictEqual([]);
  });

  it('killed after create, before any byte was recorded: nothing offered, the upload aborted, nothing left', async () => {
    const { page, server, checkpoints, root } = browser();
    const first = await page();
    await first.record([]);
    await checkpointSaved(checkpoints);
    expect(await (await page()).find()).toStrictEqual([]);
    expect([...server.uploads.values()].map((item) => item.state)).toStrictEqual(['aborted']);
    expect(await checkpoints.list()).toStrictEqual([]);
    expect(await onDisk(root)).toStrictEqual([]);
  });

  it('killed after create, before its first part was stored: the upload is resumed, not created again', async () => {
    const { page, server, checkpoints, root } = browser();
    const first = await page();
    await first.record(['1234', '567']); // parts are 10 bytes: none is full yet
    await checkpointSaved(checkpoints);

    const reopened = await page();
    const [found] = await reopened.find();
    expect(found).toMatchObject({ recordedBytes: 7, uploadedBytes: 0, checkpoint: { uploadId: 'upload-1', parts: [] } });
    await (await reopened.continue(found ?? expect.unreachable())).done();
    expect(server.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(Buffer.from(server.uploads.get('upload-1')?.object ?? []).toString()).toBe('1234567');
    await vi.waitFor(async () => expect(await onDisk(root)).toStrictEqual([]));
  });

  it('killed mid-upload: offered with the bytes the store holds, which are not sent again', async () => {
    const { page, server, checkpoints } = browser();
    const first = await page();
    await first.record(['0123456789ab', 'cdefghij', 'kl']);
    await checkpointSaved(checkpoints, 2);

    const reopened = await page();
    const [found] = await reopened.find();
    expect(found).toMatchObject({ recordedBytes: 22, uploadedBytes: 20 });
    const puts = server.uploads.get('upload-1')?.parts.size;
    await (await reopened.continue(found ?? expect.unreachable())).done();
    expect(puts).toBe(2);
    expect(Buffer.from(server.uploads.get('upload-1')?.object ?? []).toString()).toBe('0123456789abcdefghijkl');
  });

  async function killedDuringComplete() {
    const lost = browser();
    const first = await lost.page();
    lost.server.loseCompleteAnswers = true;
    const { upload, stop } = await first.record(['0123456789', 'abc']);
    await stop();
    await expect(upload?.done()).rejects.toMatchObject({ code: 'network-error' });
    await checkpointSaved(lost.checkpoints, 2);
    upload?.actor.stop(); // and the tab is gone
    lost.server.loseCompleteAnswers = false;
    return lost;
  }

  it('killed while its complete was in flight: recognised as completed, replayed, forgotten, never offered', async () => {
    const { page, server, checkpoints, root } = await killedDuringComplete();
    const reopened = await page();
    expect(await reopened.find()).toStrictEqual([]);
    expect(server.calls.slice(-3)).toStrictEqual(['list upload-1', 'complete upload-1', 'replayed upload-1']);
    expect(await checkpoints.list()).toStrictEqual([]);
    expect(await onDisk(root)).toStrictEqual([]);
  });

  it('completed, its checkpoint without the last part: the replay is refused, and it is forgotten all the same', async () => {
    const { page, server, checkpoints, root } = await killedDuringComplete();
    const [checkpoint] = await checkpoints.list();
    await checkpoints.save({ ...(checkpoint ?? expect.unreachable()), parts: checkpoint?.parts.slice(0, 1) ?? [] });
    const reopened = await page();
    expect(await reopened.find()).toStrictEqual([]);
    expect(server.calls.slice(-2)).toStrictEqual(['list upload-1', 'complete upload-1']);
    expect(await checkpoints.list()).toStrictEqual([]);
    expect(await onDisk(root)).toStrictEqual([]);
  });

  it('its upload gone from the server (aborted, swept): offered as a new upload of the stored bytes', async () => {
    const { page, server, checkpoints } = browser();
    const first = await page();
    await first.record(['0123456789ab']);
    await checkpointSaved(checkpoints, 1);
    await server.abort({ uploadId: 'upload-1', token: 'token-upload-1' });

    const reopened = await page();
    const [found] = await reopened.find();
    expect(found).toMatchObject({ recordedBytes: 12, checkpoint: null });
    expect(await checkpoints.list()).toStrictEqual([]);
    await (await reopened.continue(found ?? expect.unreachable())).done();
    expect(Buffer.from(server.uploads.get('upload-2')?.object ?? []).toString()).toBe('0123456789ab');
  });

  it('the server unreachable: offered with its checkpoint, marked unverified', async () => {
    const { page, server, checkpoints } = browser();
    await (await page()).record(['0123456789ab']);
    await checkpointSaved(checkpoints, 1);
    server.offline = true;
    const [found] = await (await page()).find();
    expect(found).toMatchObject({ uploadedBytes: 10, checkpoint: { uploadId: 'upload-1' }, unverified: { code: 'network-error' } });
  });

  it('offers the same recordings again when the page lists again; discarding aborts the upload and deletes everything', async () => {
    const { page, server, checkpoints, root } = browser();
    await (await page()).record(['0123456789ab']);
    await checkpointSaved(checkpoints, 1);
    const reopened = await page();
    const [first] = await reopened.find();
    const [again] = await reopened.find();
    expect(again).toStrictEqual(first);
    await reopened.discard(again ?? expect.unreachable());
    expect(server.uploads.get('upload-1')?.state).toBe('aborted');
    expect(await checkpoints.list()).toStrictEqual([]);
    expect(await reopened.find()).toStrictEqual([]);
    expect(await onDisk(root)).toStrictEqual([]);
  });

  it('leaves alone a recording another tab has open, and one whose upload is for another endpoint', async () => {
    const { page, checkpoints } = browser();
    const recording = await page();
    await recording.record(['0123456789ab']);
    await checkpointSaved(checkpoints, 1);
    // Another tab of the same browser, while the first still records: it shares the first one's locks.
    vi.stubGlobal('navigator', { ...navigator });
    expect(await recording.find()).toStrictEqual([]);

    const [checkpoint] = await checkpoints.list();
    await checkpoints.save({ ...(checkpoint ?? expect.unreachable()), endpoint: '/other/uploads' });
    expect(await (await page()).find()).toStrictEqual([]);
    expect(await checkpoints.list()).toHaveLength(1);
  });

  it('offers a recording only to its scope (its user), with or without an upload created', async () => {
    const { page, checkpoints } = browser();
    await (await page()).record(['before-create'], { upload: false, scope: 'alice' });
    await (await page()).record(['0123456789', 'ab'], { scope: 'alice' });
    await checkpointSaved(checkpoints, 1);

    const shared = await page();
    expect(await shared.find()).toStrictEqual([]);
    expect(await shared.find('bob')).toStrictEqual([]);
    // Looking did not keep them from their user, in this page or another.
    const found = await shared.find('alice');
    const offered = found.map((recording) => `${recording.id} ${recording.checkpoint ? 'resumes' : 'new'}`);
    expect(offered.sort()).toStrictEqual(['rec-1 new', 'rec-2 resumes']);
  });
});
