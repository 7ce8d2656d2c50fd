/**
 * Resuming an upload whose tab was closed while its complete request was in flight: the server completed it,
 * the answer was lost, the checkpoint stayed. The engine ends it as completed through the server's replay
 * instead of failing with `upload-completed`, when the checkpoint lists every part.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createHashWasmHasher } from '../src/adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../src/adapters/memoryCheckpointStore.js';
import { createUpload, resumeUpload, type UploadOptions } from '../src/createUpload.js';
import type { Checkpoint } from '../src/logic/checkpoint.js';
import type { UploadSource } from '../src/session.js';
import { bytes, FakeGrowingSource, FakeNetwork } from './fakes.js';
import { FakeUploadServer } from './fakeUploadServer.js';

const data = bytes(35); // 10 + 10 + 10 + 5

function rig() {
  const server = new FakeUploadServer(() => Date.now());
  const checkpoints = createMemoryCheckpointStore();
  let puts = 0;
  const options = {
    endpoint: '/api/uploads',
    transport: server,
    uploader: { upload: (request: Parameters<FakeUploadServer['put']>[0]) => (puts++, server.put(request)) },
    hasher: createHashWasmHasher(),
    checkpoints,
    network: new FakeNetwork(),
  } satisfies Omit<UploadOptions, 'source'>;
  return { server, checkpoints, options, puts: () => puts };
}

/** The checkpoint once it lists `parts` parts (the last one is saved a task after the part is stored). */
async function checkpointWith(r: ReturnType<typeof rig>, parts: number): Promise<Checkpoint> {
  await vi.waitFor(async () => expect((await r.checkpoints.list())[0]?.parts).toHaveLength(parts));
  const [checkpoint] = await r.checkpoints.list();
  return checkpoint ?? expect.unreachable();
}

/** A first tab whose complete reached the server but whose answer never came back; its checkpoint. */
async function completedUnheard(r: ReturnType<typeof rig>, source: Blob | UploadSource, parts: number) {
  r.server.loseCompleteAnswers = true;
  const first = createUpload({ ...r.options, source, autoStart: true });
  await expect(first.done()).rejects.toMatchObject({ code: 'network-error' });
  const checkpoint = await checkpointWith(r, parts);
  first.actor.stop();
  r.server.loseCompleteAnswers = false;
  return checkpoint;
}

describe('resuming an upload completed while its tab was gone', () => {
  it('a file whose checkpoint lists every part: completes by the replay, sending no part again', async () => {
    const r = rig();
    const file = new Blob([data]);
    const checkpoint = await completedUnheard(r, file, 4);
    const putsBefore = r.puts();

    const resumed = resumeUpload(checkpoint, { ...r.options, source: file, autoStart: true });
    const result = await resumed.done();
    expect(result).toMatchObject({ key: r.server.uploads.get('upload-1')?.completed?.key, size: 35, partCount: 4 });
    expect(result.sha256).toBe(createHash('sha256').update(data).digest('base64'));
    expect(r.puts()).toBe(putsBefore);
    expect(r.server.calls.slice(-3)).toStrictEqual(['list upload-1', 'complete upload-1', 'replayed upload-1']);
    expect(r.server.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(await r.checkpoints.list()).toStrictEqual([]);
  });

  it('a recording (growing source): the same, with the size its parts add up to', async () => {
    const r = rig();
    const recording = new FakeGrowingSource();
    recording.push(data.slice(0, 23));
    recording.end();
    const checkpoint = await completedUnheard(r, recording, 3);

    const result = await resumeUpload(checkpoint, { ...r.options, source: recording, autoStart: true }).done();
    expect(result).toMatchObject({ size: 23, partCount: 3 });
    expect(r.server.calls.at(-1)).toBe('replayed upload-1');
  });

  it('a checkpoint without the last part: fails with upload-completed, as the store cannot say its ETag', async () => {
    const r = rig();
    const file = new Blob([data]);
    const checkpoint = await completedUnheard(r, file, 4);
    const missing = { ...checkpoint, parts: checkpoint.parts.slice(0, 3) };
    const resumed = resumeUpload(missing, { ...r.options, source: file, autoStart: true });
    await expect(resumed.done()).rejects.toMatchObject({ code: 'upload-completed' });
    expect(r.server.calls.at(-1)).toBe('list upload-1');
  });
});
