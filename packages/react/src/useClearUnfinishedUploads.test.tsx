import { act, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createTestPorts, makeFile, seedUnfinished } from '../test/fakes.js';
import { renderHookWithPorts } from '../test/render.js';
import { useClearUnfinishedUploads } from './useClearUnfinishedUploads.js';
import { useResumableUploads } from './useResumableUploads.js';

/** Ports whose provider speaks for `scope`, with one unfinished upload of each of two users remembered. */
async function sharedBrowser(scope: string) {
  const ports = createTestPorts();
  for (const [user, name] of [
    ['ada', 'ada.bin'],
    ['bob', 'bob.bin'],
  ] as const) {
    const checkpoint = await seedUnfinished(ports, makeFile(name, 25), [1]);
    await ports.checkpoints.save({ ...checkpoint, id: `checkpoint-${user}`, scope: user });
    await ports.checkpoints.delete(checkpoint.id);
  }
  return { ...ports, options: { ...ports.options, scope } };
}

describe('useClearUnfinishedUploads and scoped listing', () => {
  it("lists only the provider's user's unfinished uploads, and clears them at sign-out, aborting them", async () => {
    const ports = await sharedBrowser('ada');
    const { result } = renderHookWithPorts(
      () => ({ list: useResumableUploads(), clear: useClearUnfinishedUploads() }),
      { ports },
    );
    await waitFor(() => expect(result.current.list.status).toBe('success'));
    expect(result.current.list.items.map((item) => item.checkpoint.fileName)).toEqual(['ada.bin']);

    let forgotten = 0;
    await act(async () => {
      forgotten = await result.current.clear({ abort: true });
    });
    expect(forgotten).toBe(1);
    await waitFor(() => expect(result.current.list.items).toEqual([]));
    expect(ports.server.calls.filter((call) => call.startsWith('abort'))).toHaveLength(1);
    // Bob's is still there, for Bob.
    expect((await ports.checkpoints.list()).map((checkpoint) => checkpoint.scope)).toEqual(['bob']);
  });
});
