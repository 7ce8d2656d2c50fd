import { afterEach, describe, expect, it, vi } from 'vitest';
import { growingSource } from './growingSource.js';
import { createMemoryRecordingStore } from './memoryRecordingStore.js';
import { storedRecordingBuffer } from './storedRecordingBuffer.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A source over a fresh memory recording whose writes wait for `release()` while `hold` is set. */
async function source() {
  const store = createMemoryRecordingStore();
  const stored = await store.open('rec-1', true);
  if (stored === null) throw new Error('open with create gave null');
  const gate = { hold: false, release: () => undefined as void };
  const buffer = storedRecordingBuffer('rec-1', 'memory', {
    ...stored,
    async writeChunk(offset, chunk) {
      if (gate.hold) await new Promise<void>((resolve) => (gate.release = resolve));
      await stored.writeChunk(offset, chunk);
    },
  });
  return { store, gate, source: growingSource(buffer, { name: 'take.webm', type: 'video/webm' }) };
}

describe('growingSource', () => {
  it('is the buffer as an upload source', async () => {
    const { source: recording } = await source();
    expect(recording).toMatchObject({ id: 'rec-1', name: 'take.webm', type: 'video/webm', lastModified: 0, size: 0, ended: false });
    await recording.append(new Blob(['abc']));
    await recording.append(new Blob(['def']));
    expect(recording.size).toBe(6);
    expect(await (await recording.slice(2, 5)).text()).toBe('cde');
    await recording.markEnded();
    expect(recording.ended).toBe(true);
  });

  it('tells subscribers of an append only once its bytes are stored', async () => {
    const { gate, source: recording } = await source();
    const heard: number[] = [];
    recording.subscribe(() => heard.push(recording.size));
    gate.hold = true;
    const appended = recording.append(new Blob(['12345']));
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toStrictEqual([]);
    gate.release();
    await appended;
    expect(heard).toStrictEqual([5]);
    expect(await (await recording.slice(0, 5)).text()).toBe('12345');
  });

  it('tells subscribers of the end once, after the bytes before it', async () => {
    const { source: recording } = await source();
    const heard: Array<[number, boolean]> = [];
    recording.subscribe(() => heard.push([recording.size, recording.ended]));
    await Promise.all([recording.append(new Blob(['ab'])), recording.markEnded(), recording.markEnded()]);
    expect(heard).toStrictEqual([
      [2, false],
      [2, true],
    ]);
  });

  it('stops telling a subscriber once unsubscribed, one subscription at a time', async () => {
    const { source: recording } = await source();
    const listener = vi.fn();
    const first = recording.subscribe(listener);
    recording.subscribe(listener);
    first();
    await recording.append(new Blob(['a']));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('reports a throwing subscriber and still tells the others', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const { source: recording } = await source();
    const after = vi.fn();
    recording.subscribe(() => {
      throw new Error('listener broke');
    });
    recording.subscribe(after);
    await recording.append(new Blob(['a']));
    expect(after).toHaveBeenCalledOnce();
    expect(reportError).toHaveBeenCalledWith(new Error('listener broke'));
  });

  it('discards the stored recording', async () => {
    const { store, source: recording } = await source();
    await recording.append(new Blob(['a']));
    await recording.discard();
    expect(await store.list()).toStrictEqual([]);
  });
});
