import { createUpload, type FileHandleLike } from '@tessera/core';
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestPorts, ENDPOINT, makeFile } from '../test/fakes.js';
import { renderHookWithPorts } from '../test/render.js';
import { useLeaveWarning } from './useLeaveWarning.js';
import { useMultipartUpload } from './useMultipartUpload.js';

/** Whether leaving would be questioned now: a beforeunload listener cancels the event. */
function leavingIsQuestioned(): boolean {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

afterEach(() => vi.restoreAllMocks());

describe('useLeaveWarning', () => {
  it('questions leaving while an upload that needs its file picked again is under way, and not after', async () => {
    const { result, ports } = renderHookWithPorts(() => {
      const controls = useMultipartUpload();
      useLeaveWarning(controls.uploads);
      return controls;
    });
    expect(leavingIsQuestioned()).toBe(false);
    ports.uploader.hold = true;
    act(() => void result.current.add([makeFile('a.bin', 25)]));
    await vi.waitFor(() => expect(ports.uploader.held).toBeGreaterThan(0));
    expect(leavingIsQuestioned()).toBe(true);
    // Paused is still under way: leaving would leave it to a re-pick.
    act(() => result.current.pause());
    expect(leavingIsQuestioned()).toBe(true);
    ports.uploader.hold = false;
    act(() => result.current.resume());
    await vi.waitFor(() => expect(result.current.uploads[0]?.getSnapshot().status).toBe('completed'));
    await vi.waitFor(() => expect(leavingIsQuestioned()).toBe(false));
  });

  it('lets the page go while the only uploads under way resume by themselves (a kept file handle)', async () => {
    const ports = createTestPorts();
    ports.uploader.hold = true;
    const handles = new Map<string, unknown>();
    const upload = createUpload({
      ...ports.options,
      source: makeFile('kept.bin', 25),
      endpoint: ENDPOINT,
      autoStart: true,
      fileHandle: { kind: 'file', name: 'kept.bin', getFile: async () => makeFile('kept.bin', 25) } as FileHandleLike,
      fileHandles: {
        save: async (id, handle) => void handles.set(id, handle),
        load: async (id) => (handles.get(id) as FileHandleLike | undefined) ?? null,
        delete: async (id) => void handles.delete(id),
      },
    });
    expect(upload.resumesAfterReload).toBe(true);
    const hook = renderHook(() => useLeaveWarning([upload]));
    await vi.waitFor(() => expect(ports.uploader.held).toBeGreaterThan(0));
    expect(leavingIsQuestioned()).toBe(false);
    hook.unmount();
    upload.abort();
  });

  it('questions leaving while `active` (a recording in progress), and stops when it is not', () => {
    const { rerender, unmount } = renderHook(({ active }) => useLeaveWarning([], active), { initialProps: { active: true } });
    expect(leavingIsQuestioned()).toBe(true);
    rerender({ active: false });
    expect(leavingIsQuestioned()).toBe(false);
    rerender({ active: true });
    unmount();
    expect(leavingIsQuestioned()).toBe(false);
  });
});
