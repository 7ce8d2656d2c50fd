import { TesseraError, type Upload } from '@tessera/core';
import { act, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { checkpointFor, createTestPorts, makeFile, seedUnfinished } from '../test/fakes.js';
import { modes, renderHookWithPorts } from '../test/render.js';
import { useMultipartUpload } from './useMultipartUpload.js';

const statusOf = (upload: Upload | undefined) => upload?.getSnapshot().status;
const creates = (calls: readonly string[]) => calls.filter((call) => call.startsWith('create')).length;

describe.each(modes)('useMultipartUpload $name', ({ strict }) => {
  it('creates one actor per file, starts it once, and uploads every part once', async () => {
    const { result, ports } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    let added: Upload[] = [];
    act(() => {
      added = result.current.add([makeFile('a.bin', 25), makeFile('b.bin', 12)]);
    });
    expect(result.current.uploads).toEqual(added);
    await waitFor(() => expect(result.current.uploads.map(statusOf)).toEqual(['completed', 'completed']));
    expect(creates(ports.server.calls)).toBe(2);
    // 3 parts + 2 parts, each sent exactly once.
    expect([...ports.uploader.attempts].sort()).toEqual([1, 1, 2, 2, 3]);
    expect(result.current.uploads[0]?.getSnapshot().result?.key).toBe('uploads/1/a.bin');
    expect(result.current.uploads).toBe(result.current.uploads);
  });

  it('keeps the uploads array while uploads progress, and changes it on add and remove', async () => {
    const { result } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    const list = result.current.uploads;
    await waitFor(() => expect(statusOf(result.current.uploads[0])).toBe('completed'));
    expect(result.current.uploads).toBe(list);
    act(() => result.current.remove(list[0]?.id ?? ''));
    expect(result.current.uploads).toEqual([]);
  });

  it('pauses and resumes: parts in flight are stopped, then sent again', async () => {
    const { result, ports } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    ports.uploader.hold = true;
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    await waitFor(() => expect(ports.uploader.held).toBe(3));
    const [upload] = result.current.uploads;
    const sent = upload?.getSnapshot().progress.inFlightBytes ?? 0;
    expect(sent).toBeGreaterThan(0);

    act(() => result.current.pause());
    expect(statusOf(upload)).toBe('paused');
    expect(ports.uploader.aborted.sort()).toEqual([1, 2, 3]);
    // The bar does not go back: the stopped parts' bytes stay shown, as bytes to be sent again.
    expect(upload?.getSnapshot().progress).toMatchObject({ uploadedBytes: sent, inFlightBytes: 0, resendingBytes: sent });

    ports.uploader.hold = false;
    act(() => result.current.resume(upload?.id));
    await waitFor(() => expect(statusOf(upload)).toBe('completed'));
    expect(ports.uploader.attempts.filter((part) => part === 1)).toHaveLength(2);
  });

  it('pauses letting the parts in flight finish: pausing, then paused with nothing sent twice', async () => {
    const { result, ports } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    ports.uploader.hold = true;
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    await waitFor(() => expect(ports.uploader.held).toBe(3));
    const [upload] = result.current.uploads;
    act(() => result.current.pause(upload?.id, { finishInFlight: true }));
    expect(statusOf(upload)).toBe('pausing');
    act(() => ports.uploader.release());
    await waitFor(() => expect(statusOf(upload)).toBe('paused'));
    expect(ports.uploader.aborted).toEqual([]);
    ports.uploader.hold = false;
    act(() => result.current.resume(upload?.id));
    await waitFor(() => expect(statusOf(upload)).toBe('completed'));
    expect(ports.uploader.attempts.filter((part) => part === 1)).toHaveLength(1);
  });

  it('aborts on the server, and removing a running upload aborts it too', async () => {
    const { result, ports } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    ports.uploader.hold = true;
    act(() => void result.current.add([makeFile('a.bin', 25), makeFile('b.bin', 25)]));
    // The queue's 4 part slots are shared by both uploads.
    await waitFor(() => expect(ports.uploader.held).toBe(4));
    const [first, second] = result.current.uploads;

    act(() => result.current.abort(first?.id));
    await waitFor(() => expect(statusOf(first)).toBe('aborted'));
    act(() => result.current.remove(second?.id ?? ''));
    await waitFor(() => expect(statusOf(second)).toBe('aborted'));
    expect(ports.server.calls.filter((call) => call.startsWith('abort'))).toHaveLength(2);
    expect(result.current.uploads).toEqual([first]);
  });

  it('retries a failed upload from where it stopped, with the typed error exposed meanwhile', async () => {
    const ports = createTestPorts();
    ports.server.signFailures.push(new TesseraError('forbidden', 'not now', { status: 403 }));
    const { result } = renderHookWithPorts(() => useMultipartUpload(), { strict, ports });
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    const [upload] = result.current.uploads;
    await waitFor(() => expect(statusOf(upload)).toBe('failed'));
    expect(upload?.getSnapshot().error?.code).toBe('forbidden');

    act(() => result.current.retry());
    await waitFor(() => expect(statusOf(upload)).toBe('completed'));
    expect(creates(ports.server.calls)).toBe(1);
  });

  it('lists unfinished uploads the server still has, and forgets those it says are gone', async () => {
    const ports = createTestPorts();
    const kept = await seedUnfinished(ports, makeFile('kept.bin', 25), [1]);
    const gone = checkpointFor(ports, makeFile('gone.bin', 25), { uploadId: 'upload-404', token: 't', key: 'k' });
    await ports.checkpoints.save(gone);
    const { result } = renderHookWithPorts(() => useMultipartUpload(), { strict, ports });

    await waitFor(() => expect(result.current.resumable.status).toBe('success'));
    expect(result.current.resumable.items.map((item) => item.checkpoint.id)).toEqual([kept.id]);
    expect(result.current.resumable.items[0]).toMatchObject({ storedBytes: 10, storedParts: 1, unverified: null });
    expect(await ports.checkpoints.load(gone.id)).toBeNull();
  });

  it('resumes with the same file, sending only the parts the store lacks', async () => {
    const ports = createTestPorts();
    const file = makeFile('movie.bin', 25);
    const checkpoint = await seedUnfinished(ports, file, [1, 2]);
    const { result } = renderHookWithPorts(() => useMultipartUpload(), { strict, ports });
    await waitFor(() => expect(result.current.resumable.items).toHaveLength(1));

    act(() => void result.current.resumable.resume(checkpoint, file));
    expect(result.current.resumable.items).toEqual([]);
    const [upload] = result.current.uploads;
    expect(upload?.id).toBe(checkpoint.id);
    await waitFor(() => expect(statusOf(upload)).toBe('completed'));
    expect(ports.uploader.attempts).toEqual([3]);
    expect(creates(ports.server.calls)).toBe(0);
  });

  it('refuses another file with fingerprint-mismatch and offers the checkpoint again', async () => {
    const ports = createTestPorts();
    const checkpoint = await seedUnfinished(ports, makeFile('movie.bin', 25), [1]);
    const { result } = renderHookWithPorts(() => useMultipartUpload(), { strict, ports });
    await waitFor(() => expect(result.current.resumable.items).toHaveLength(1));

    act(() => void result.current.resumable.resume(checkpoint, makeFile('movie.bin', 25, { seed: 2 })));
    await waitFor(() => expect(result.current.resumable.items[0]?.mismatch?.code).toBe('fingerprint-mismatch'));
    expect(result.current.uploads).toEqual([]);
    expect(ports.uploader.attempts).toEqual([]);
  });

  it('offers a removed failed upload for resuming, its checkpoint intact', async () => {
    const ports = createTestPorts();
    ports.uploader.failures.set(3, { kind: 'http', status: 404 });
    const { result } = renderHookWithPorts(() => useMultipartUpload(), { strict, ports });
    await waitFor(() => expect(result.current.resumable.status).toBe('success'));
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    const [upload] = result.current.uploads;
    await waitFor(() => expect(upload?.getSnapshot().error?.code).toBe('part-rejected'));

    act(() => result.current.remove(upload?.id ?? ''));
    await waitFor(() => expect(result.current.resumable.items.map((item) => item.checkpoint.id)).toEqual([upload?.id]));
    expect(result.current.resumable.items[0]).toMatchObject({ storedParts: 2, storedBytes: 20, mismatch: null });
  });

  it('stops its actors on unmount, leaving the checkpoint to resume later', async () => {
    const { result, ports, unmount } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    ports.uploader.hold = true;
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    await waitFor(() => expect(ports.uploader.held).toBe(3));
    unmount();
    await waitFor(() => expect(ports.uploader.aborted).toHaveLength(3));
    expect(ports.server.calls.some((call) => call.startsWith('abort'))).toBe(false);
  });
});
