import type { Upload } from '@tessera/core';
import { act, render, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeFile } from '../test/fakes.js';
import { modes, renderHookWithPorts, wrapperFor } from '../test/render.js';
import { progressEqual } from './snapshotEqual.js';
import { useMultipartUpload } from './useMultipartUpload.js';
import { useUpload } from './useUpload.js';
import { useUploadSelector } from './useUploadSelector.js';

describe.each(modes)('useUploadSelector $name', ({ strict }) => {
  it('re-renders a component only when what it selects changes', async () => {
    const { result, ports } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    ports.uploader.hold = true;
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    const upload = result.current.uploads[0] as Upload;

    const renders = { status: 0, progress: 0 };
    function Status() {
      renders.status += 1;
      return <span>{useUploadSelector(upload, (snapshot) => snapshot.status)}</span>;
    }
    function Progress() {
      renders.progress += 1;
      const progress = useUploadSelector(upload, (snapshot) => snapshot.progress, progressEqual);
      return <span>{progress.uploadedBytes}</span>;
    }
    const { Wrapper } = wrapperFor(ports, strict);
    const view = render(
      <Wrapper>
        <Status />
        <Progress />
      </Wrapper>,
    );
    await waitFor(() => expect(ports.uploader.held).toBe(3));
    const before = { ...renders };
    for (const confirmed of [10, 20]) {
      act(() => ports.uploader.releaseOne());
      await waitFor(() => expect(upload.getSnapshot().progress.confirmedBytes).toBe(confirmed));
    }
    // Two parts confirmed: progress re-rendered for each, the status (still uploading) never.
    expect(renders.progress - before.progress).toBeGreaterThanOrEqual(2);
    expect(renders.status - before.status).toBe(0);
    act(() => ports.uploader.release());
    await waitFor(() => expect(view.container.textContent).toBe('completed25'));
  });

  it('useUpload exposes status, progress, parts and the typed error', async () => {
    const { result, ports } = renderHookWithPorts(() => useMultipartUpload(), { strict });
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    const upload = result.current.uploads[0] as Upload;
    const { Wrapper } = wrapperFor(ports, strict);
    const seen = renderHook(() => useUpload(upload), { wrapper: Wrapper });
    await waitFor(() => expect(seen.result.current.status).toBe('completed'));
    const snapshot = seen.result.current;
    expect(snapshot.progress).toMatchObject({ uploadedBytes: 25, totalBytes: 25, fraction: 1, etaSeconds: 0 });
    expect(snapshot.parts.map((part) => [part.partNumber, part.size, part.status])).toEqual([
      [1, 10, 'done'],
      [2, 10, 'done'],
      [3, 5, 'done'],
    ]);
    expect(snapshot.error).toBeNull();
    expect(snapshot.result?.key).toBe('uploads/1/a.bin');
  });
});
