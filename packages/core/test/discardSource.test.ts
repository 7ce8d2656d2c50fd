/**
 * A recording's persisted bytes are deleted once its upload is completed or aborted: the session calls the
 * source's `discard` on the way into its final state (a child actor spawned there would be stopped before
 * it ran, and the bytes kept forever, to be offered again as a recording nobody uploaded).
 */
import { describe, expect, it, vi } from 'vitest';
import { createHashWasmHasher } from '../src/adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../src/adapters/memoryCheckpointStore.js';
import { createUpload } from '../src/createUpload.js';
import { bytes, FakeGrowingSource, FakeNetwork } from './fakes.js';
import { FakeUploadServer } from './fakeUploadServer.js';

function recordingUpload() {
  const server = new FakeUploadServer(() => Date.now());
  const source = new FakeGrowingSource();
  const discard = vi.spyOn(source, 'discard');
  const upload = createUpload({
    source,
    endpoint: '/api/uploads',
    transport: server,
    uploader: server.uploader(),
    hasher: createHashWasmHasher(),
    checkpoints: createMemoryCheckpointStore(),
    network: new FakeNetwork(),
    autoStart: true,
  });
  return { server, source, discard, upload };
}

describe('the recording behind an upload', () => {
  it('is discarded once the upload completed', async () => {
    const { source, discard, upload } = recordingUpload();
    source.push(bytes(25));
    source.end();
    await upload.done();
    expect(discard).toHaveBeenCalledOnce();
  });

  it('is discarded once the upload was aborted, and not while it runs', async () => {
    const { source, discard, upload, server } = recordingUpload();
    source.push(bytes(12));
    await vi.waitFor(() => expect(upload.getSnapshot().status).toBe('uploading'));
    expect(discard).not.toHaveBeenCalled();
    upload.abort();
    await expect(upload.done()).rejects.toMatchObject({ code: 'aborted' });
    await vi.waitFor(() => expect(discard).toHaveBeenCalledOnce());
    expect([...server.uploads.values()].map((item) => item.state)).toStrictEqual(['aborted']);
  });
});
