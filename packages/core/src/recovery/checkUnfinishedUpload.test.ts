import { describe, expect, it } from 'vitest';
import { createMemoryCheckpointStore } from '../adapters/memoryCheckpointStore.js';
import type { Checkpoint } from '../logic/checkpoint.js';
import { FakeUploadServer } from '../../test/fakeUploadServer.js';
import { sampleCheckpoint } from '../../test/sampleCheckpoint.js';
import { checkUnfinishedUpload } from './checkUnfinishedUpload.js';

const NOW = 1_700_000_000_000;

/** An upload of `chunks` (10-byte parts) on `server`, its parts stored, and the checkpoint a tab wrote. */
async function storedUpload(server: FakeUploadServer, chunks: string[], options: { growing?: boolean } = {}) {
  const size = chunks.join('').length;
  const created = await server.create({ fileName: 'talk.mp4', contentType: 'video/mp4', ...(!options.growing && { size }) });
  const parts = [];
  for (const [index, text] of chunks.entries()) parts.push(await server.storePart(created.uploadId, index + 1, text));
  const checkpoint: Checkpoint = sampleCheckpoint({
    uploadId: created.uploadId,
    token: created.token,
    key: created.key,
    partSize: 10,
    partCount: created.partCount,
    size: created.size,
    parts,
    tokenExpiresAt: NOW + 3_600_000,
    ...(options.growing
      ? { source: 'growing', fingerprint: null }
      : { fingerprint: { name: 'talk.mp4', size, lastModified: 0, headHash: 'h', tailHash: 't' } }),
  });
  return { created, checkpoint };
}

async function rig(chunks = ['0123456789', '0123456789', 'abcde'], options: { growing?: boolean } = {}) {
  const server = new FakeUploadServer(() => NOW);
  const checkpoints = createMemoryCheckpointStore();
  const { created, checkpoint } = await storedUpload(server, chunks, options);
  await checkpoints.save(checkpoint);
  const check = (changed: Partial<Checkpoint> = {}) =>
    checkUnfinishedUpload({ ...checkpoint, ...changed }, { transport: server, checkpoints, now: NOW });
  const complete = (parts = checkpoint.parts) =>
    server.complete(created, { parts: parts.map(({ partNumber, etag }) => ({ partNumber, etag })), size: chunks.join('').length });
  return { server, checkpoints, checkpoint, created, check, complete };
}

describe('checkUnfinishedUpload', () => {
  it('an open upload: resumable, with the parts the store holds, checkpoint kept', async () => {
    const { check, checkpoints } = await rig();
    const checked = await check();
    expect(checked).toMatchObject({ status: 'open', parts: [{ partNumber: 1 }, { partNumber: 2 }, { partNumber: 3 }] });
    expect(await checkpoints.list()).toHaveLength(1);
  });

  it('completed while the tab was gone: replays the complete with the checkpoint\'s parts and forgets it', async () => {
    const { check, checkpoints, complete, server, created } = await rig();
    const first = await complete(); // its answer never reached the tab
    const checked = await check();
    expect(checked).toStrictEqual({ status: 'completed', replay: { outcome: 'replayed', result: first } });
    expect(server.calls.slice(-3)).toStrictEqual([`list ${created.uploadId}`, `complete ${created.uploadId}`, `replayed ${created.uploadId}`]);
    expect(await checkpoints.list()).toStrictEqual([]);
  });

  it('a recording completed while the tab was gone: the replay sends the size its parts add up to', async () => {
    const { check, checkpoints, complete } = await rig(['0123456789', 'abc'], { growing: true });
    await complete();
    expect(await check()).toMatchObject({ status: 'completed', replay: { outcome: 'replayed', result: { size: 13 } } });
    expect(await checkpoints.list()).toStrictEqual([]);
  });

  it('completed, but the checkpoint missed the last part: the refused replay still forgets it', async () => {
    const { check, checkpoints, complete, checkpoint } = await rig(['0123456789', 'abc'], { growing: true });
    await complete();
    const checked = await check({ parts: checkpoint.parts.slice(0, 1) });
    expect(checked).toMatchObject({ status: 'completed', replay: { outcome: 'refused', error: { code: 'upload-completed' } } });
    expect(await checkpoints.list()).toStrictEqual([]);
  });

  it('completed, and the replay cannot reach the server: the checkpoint is kept for a later try', async () => {
    const { check, checkpoints, complete, server } = await rig();
    await complete();
    const listParts = server.listParts.bind(server);
    // ListParts answers; the network goes before the replay.
    server.listParts = async (ref) => {
      try {
        return await listParts(ref);
      } finally {
        server.offline = true;
      }
    };
    expect(await check()).toMatchObject({ status: 'completed', replay: { outcome: 'unreachable', error: { code: 'network-error' } } });
    expect(await checkpoints.list()).toHaveLength(1);
  });

  it.each([
    { name: 'aborted', change: async (r: Awaited<ReturnType<typeof rig>>) => r.server.abort(r.created), code: 'upload-not-found' },
    { name: 'token expired', change: async () => undefined, expired: true, code: 'token-expired' },
  ])('gone ($name): the checkpoint is deleted', async ({ change, expired, code }) => {
    const r = await rig();
    await change(r);
    const checked = await r.check(expired ? { tokenExpiresAt: NOW } : {});
    expect(checked).toMatchObject({ status: 'gone', reason: { code } });
    expect(await r.checkpoints.list()).toStrictEqual([]);
  });

  it('the server cannot be asked: unverified, checkpoint kept', async () => {
    const { check, checkpoints, server } = await rig();
    server.offline = true;
    expect(await check()).toMatchObject({ status: 'unverified', error: { code: 'network-error' } });
    expect(await checkpoints.list()).toHaveLength(1);
  });

  it('rejects when its signal aborts', async () => {
    const { checkpoint, checkpoints, server } = await rig();
    const controller = new AbortController();
    server.listParts = async () => {
      controller.abort();
      throw new Error('cut off');
    };
    const checked = checkUnfinishedUpload(checkpoint, { transport: server, checkpoints, now: NOW, signal: controller.signal });
    await expect(checked).rejects.toThrow();
    expect(await checkpoints.list()).toHaveLength(1);
  });
});
