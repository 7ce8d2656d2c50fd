import { type Checkpoint, createMemoryCheckpointStore } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { FakeUploadServer } from '../../core/test/fakeUploadServer.js';
import { sampleCheckpoint } from '../../core/test/sampleCheckpoint.js';
import { discardUnfinishedUpload } from './discardUnfinishedUpload.js';
import { listUnfinishedUploads } from './listUnfinishedUploads.js';

const NOW = 1_700_000_000_000;
const ENDPOINT = '/api/uploads';

/** A browser with `count` checkpoints of 15-byte files, both parts stored for each. */
async function browser(count: number) {
  const server = new FakeUploadServer(() => NOW);
  const checkpoints = createMemoryCheckpointStore();
  const uploads: Checkpoint[] = [];
  for (let index = 0; index < count; index++) {
    const created = await server.create({ fileName: `file-${index}.bin`, contentType: 'application/octet-stream', size: 15 });
    const text = `${index}`.repeat(15);
    const parts = [
      await server.storePart(created.uploadId, 1, text.slice(0, 10)),
      await server.storePart(created.uploadId, 2, text.slice(10)),
    ];
    const checkpoint = sampleCheckpoint({
      id: `local-${index}`,
      updatedAt: NOW - index,
      fileName: `file-${index}.bin`,
      fingerprint: { name: `file-${index}.bin`, size: 15, lastModified: 0, headHash: 'h', tailHash: 't' },
      size: 15,
      uploadId: created.uploadId,
      key: created.key,
      token: created.token,
      tokenExpiresAt: NOW + 60_000,
      partSize: 10,
      partCount: 2,
      parts,
    });
    await checkpoints.save(checkpoint);
    uploads.push(checkpoint);
  }
  const list = () => listUnfinishedUploads({ endpoint: ENDPOINT, checkpoints, transport: server, now: NOW });
  const complete = (checkpoint: Checkpoint) =>
    server.complete(checkpoint, { parts: checkpoint.parts.map(({ partNumber, etag }) => ({ partNumber, etag })), size: 15 });
  return { server, checkpoints, uploads, list, complete };
}

describe('listUnfinishedUploads', () => {
  it('lists open uploads with what the store holds, newest first', async () => {
    const { list } = await browser(2);
    const listed = await list();
    expect(listed.map((item) => [item.checkpoint.id, item.storedBytes, item.storedParts])).toStrictEqual([
      ['local-0', 15, 2],
      ['local-1', 15, 2],
    ]);
  });

  it('an upload completed while its tab was gone: replayed, its checkpoint deleted, not listed', async () => {
    const { list, uploads, complete, server, checkpoints } = await browser(2);
    const [done, open] = uploads as [Checkpoint, Checkpoint];
    await complete(done);
    const listed = await list();
    expect(listed.map((item) => item.checkpoint.id)).toStrictEqual([open.id]);
    expect(server.calls).toContain(`replayed ${done.uploadId}`);
    expect((await checkpoints.list()).map((checkpoint) => checkpoint.id)).toStrictEqual([open.id]);
  });

  it('completed, but the replay is refused (the checkpoint missed the last part): forgotten all the same', async () => {
    const { list, uploads, complete, checkpoints } = await browser(1);
    const [done] = uploads as [Checkpoint];
    await complete(done);
    await checkpoints.save({ ...done, parts: done.parts.slice(0, 1) });
    expect(await list()).toStrictEqual([]);
    expect(await checkpoints.list()).toStrictEqual([]);
  });

  it('aborted or expired uploads are forgotten; an unreachable server leaves them listed as unverified', async () => {
    const { list, uploads, server, checkpoints } = await browser(3);
    const [aborted, expired, kept] = uploads as [Checkpoint, Checkpoint, Checkpoint];
    await server.abort(aborted);
    await checkpoints.save({ ...expired, tokenExpiresAt: NOW });
    expect((await list()).map((item) => item.checkpoint.id)).toStrictEqual([kept.id]);
    expect((await checkpoints.list()).map((checkpoint) => checkpoint.id)).toStrictEqual([kept.id]);
    server.offline = true;
    expect(await list()).toMatchObject([{ checkpoint: { id: kept.id }, storedBytes: 15, unverified: { code: 'network-error' } }]);
  });
});

describe('discardUnfinishedUpload', () => {
  it('aborts the upload in the store and forgets its checkpoint; a completed or gone upload is fine', async () => {
    const { uploads, server, checkpoints, complete } = await browser(3);
    const [open, done, gone] = uploads as [Checkpoint, Checkpoint, Checkpoint];
    await complete(done);
    await server.abort(gone);
    for (const checkpoint of uploads) await discardUnfinishedUpload(checkpoint, { transport: server, checkpoints });
    expect(server.uploads.get(open.uploadId)?.state).toBe('aborted');
    expect(server.uploads.get(done.uploadId)?.state).toBe('completed');
    expect(await checkpoints.list()).toStrictEqual([]);
  });
});
