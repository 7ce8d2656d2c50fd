import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../errors.js';
import { createMemoryRecordingStore } from './memoryRecordingStore.js';
import type { RecordingStore, StoredRecording } from './recordingStore.js';
import { storedRecordingBuffer } from './storedRecordingBuffer.js';

/** Let every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A stored recording whose writes wait until released, recording their offsets and how many overlap. */
function heldWrites(stored: StoredRecording) {
  const waiting: Array<() => void> = [];
  const stats = { inFlight: 0, maxInFlight: 0, offsets: [] as number[] };
  const held: StoredRecording = {
    ...stored,
    async writeChunk(offset, chunk) {
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await new Promise<void>((release) => waiting.push(release));
      stats.offsets.push(offset);
      await stored.writeChunk(offset, chunk);
      stats.inFlight -= 1;
    },
  };
  /** Release waiting writes, newest first (so unserialized writes would land out of order), until none is left. */
  async function releaseAll(): Promise<void> {
    for (await settle(); waiting.length > 0; await settle()) waiting.pop()?.();
  }
  return { held, stats, waiting, releaseAll };
}

async function openIn(store: RecordingStore, id = 'rec-1') {
  const stored = await store.open(id, true);
  if (stored === null) throw new Error('open with create gave null');
  return stored;
}

async function freshBuffer() {
  const store = createMemoryRecordingStore();
  return { store, buffer: storedRecordingBuffer('rec-1', 'memory', await openIn(store)) };
}

const isSourceError = (error: unknown) => isTesseraError(error, 'source-error');

describe('storedRecordingBuffer', () => {
  it('appends concurrent chunks one at a time, in call order', async () => {
    const store = createMemoryRecordingStore();
    const { held, stats, releaseAll } = heldWrites(await openIn(store));
    const buffer = storedRecordingBuffer('rec-1', 'memory', held);
    const appended = ['a', 'bb', 'ccc', 'dddd'].map((text) => buffer.append(new Blob([text])));
    await releaseAll();
    await Promise.all(appended);
    expect(stats).toMatchObject({ maxInFlight: 1, offsets: [0, 1, 3, 6] });
    expect(buffer.size()).toBe(10);
    expect(await (await buffer.read(0, 10)).text()).toBe('abbcccdddd');
  });

  it('counts bytes in size() only once they are durable', async () => {
    const store = createMemoryRecordingStore();
    const { held, waiting } = heldWrites(await openIn(store));
    const buffer = storedRecordingBuffer('rec-1', 'memory', held);
    const appended = buffer.append(new Blob(['12345']));
    await settle();
    expect(buffer.size()).toBe(0);
    await expect(buffer.read(0, 5)).rejects.toThrow('cannot read [0, 5) of 0 bytes');
    waiting.pop()?.();
    await appended;
    expect(buffer.size()).toBe(5);
  });

  it.each([
    { start: 0, end: 12, text: 'hello, world' },
    { start: 3, end: 9, text: 'lo, wo' },
    { start: 5, end: 7, text: ', ' },
    { start: 7, end: 7, text: '' },
    { start: 11, end: 12, text: 'd' },
  ])('reads [$start, $end) across chunks', async ({ start, end, text }) => {
    const { buffer } = await freshBuffer();
    for (const part of ['hel', 'lo', ', ', 'wor', 'ld']) await buffer.append(new Blob([part]));
    const blob = await buffer.read(start, end);
    expect(blob.size).toBe(end - start);
    expect(blob.type).toBe('');
    expect(await blob.text()).toBe(text);
  });

  it.each([
    [-1, 2],
    [2, 1],
    [0, 6],
    [0.5, 2],
  ])('rejects reading [%d, %d) of 5 bytes with source-error', async (start, end) => {
    const { buffer } = await freshBuffer();
    await buffer.append(new Blob(['12345']));
    await expect(buffer.read(start, end)).rejects.toSatisfy(isSourceError);
  });

  it('marks the end after the appends before it, and refuses appends after it', async () => {
    const store = createMemoryRecordingStore();
    const { held, releaseAll } = heldWrites(await openIn(store));
    const buffer = storedRecordingBuffer('rec-1', 'memory', held);
    const appended = buffer.append(new Blob(['last']));
    const ended = buffer.markEnded();
    const late = expect(buffer.append(new Blob(['late']))).rejects.toSatisfy(isSourceError);
    expect(buffer.ended()).toBe(false);
    await releaseAll();
    await Promise.all([appended, ended, buffer.markEnded()]);
    expect({ size: buffer.size(), ended: buffer.ended() }).toStrictEqual({ size: 4, ended: true });
    await late;
  });

  it('restores size and end when the recording is opened again (a reload)', async () => {
    const { store, buffer } = await freshBuffer();
    await buffer.append(new Blob(['before ']));
    await buffer.append(new Blob(['the crash']));

    const reloaded = storedRecordingBuffer('rec-1', 'memory', await openIn(store));
    expect({ size: reloaded.size(), ended: reloaded.ended() }).toStrictEqual({ size: 16, ended: false });
    expect(await (await reloaded.read(4, 11)).text()).toBe('re the ');
    await reloaded.append(new Blob(['!']));
    await reloaded.markEnded();

    const again = storedRecordingBuffer('rec-1', 'memory', await openIn(store));
    expect({ size: again.size(), ended: again.ended() }).toStrictEqual({ size: 17, ended: true });
  });

  it('refuses appends after a failed one, so no gap is stored, and still ends', async () => {
    const store = createMemoryRecordingStore();
    const stored = await openIn(store);
    let full = false;
    const buffer = storedRecordingBuffer('rec-1', 'memory', {
      ...stored,
      writeChunk: (offset, chunk) => (full ? Promise.reject(new Error('disk full')) : stored.writeChunk(offset, chunk)),
    });
    await buffer.append(new Blob(['kept']));
    full = true;
    await expect(buffer.append(new Blob(['lost']))).rejects.toMatchObject({ code: 'source-error', cause: new Error('disk full') });
    full = false;
    await expect(buffer.append(new Blob(['after']))).rejects.toMatchObject({
      code: 'source-error',
      message: expect.stringContaining('an earlier append failed'),
    });
    await buffer.markEnded();
    expect({ size: buffer.size(), ended: buffer.ended() }).toStrictEqual({ size: 4, ended: true });
  });

  it('ignores empty chunks', async () => {
    const { buffer } = await freshBuffer();
    await buffer.append(new Blob([]));
    await buffer.append(new Blob(['x']));
    expect(buffer.size()).toBe(1);
  });

  it('discards after the pending appends, then refuses everything', async () => {
    const { store, buffer } = await freshBuffer();
    const appended = buffer.append(new Blob(['bytes']));
    await buffer.discard();
    await appended;
    expect(await store.list()).toStrictEqual([]);
    expect(buffer.size()).toBe(0);
    for (const call of [buffer.append(new Blob(['x'])), buffer.read(0, 0), buffer.markEnded()]) {
      await expect(call).rejects.toSatisfy(isSourceError);
    }
  });
});
