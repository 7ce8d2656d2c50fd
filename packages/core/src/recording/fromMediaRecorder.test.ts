import { describe, expect, it, vi } from 'vitest';
import { isTesseraError } from '../errors.js';
import { fromMediaRecorder } from './fromMediaRecorder.js';
import { listRecordings } from './listRecordings.js';
import { createMemoryRecordingStore } from './memoryRecordingStore.js';
import type { StoredRecording } from './recordingStore.js';
import { storedRecordingBuffer } from './storedRecordingBuffer.js';

/** A MediaRecorder's events without a browser: `BlobEvent` is missing in Node, so `data` is set on an Event. */
class FakeRecorder extends EventTarget {
  constructor(readonly mimeType = 'video/webm;codecs=vp9,opus') {
    super();
  }

  emit(text: string): void {
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([text]) }));
  }

  stop(): void {
    this.dispatchEvent(new Event('stop'));
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A memory buffer whose writes wait for `releaseAll()`, or fail while `failing` is set. */
async function slowBuffer() {
  const stored = (await createMemoryRecordingStore().open('slow', true)) as StoredRecording;
  const control = { failing: false, waiting: [] as Array<() => void> };
  const buffer = storedRecordingBuffer('slow', 'memory', {
    ...stored,
    async writeChunk(offset, chunk) {
      await new Promise<void>((resolve) => control.waiting.push(resolve));
      if (control.failing) throw new Error('disk full');
      await stored.writeChunk(offset, chunk);
    },
  });
  const releaseAll = async () => {
    for (await settle(); control.waiting.length > 0; await settle()) control.waiting.shift()?.();
  };
  return { buffer, control, releaseAll };
}

describe('fromMediaRecorder', () => {
  it('persists every chunk in order and ends on stop', async () => {
    const recorder = new FakeRecorder();
    const source = await fromMediaRecorder(recorder, { storage: 'memory' });
    const heard: Array<[number, boolean]> = [];
    source.subscribe(() => heard.push([source.size, source.ended]));
    for (const text of ['one ', 'two ', 'three']) recorder.emit(text);
    recorder.stop();
    await settle();
    expect(heard.at(-1)).toStrictEqual([13, true]);
    expect(await (await source.slice(0, 13)).text()).toBe('one two three');
    expect(source.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(source.type).toBe('video/webm');
    expect(source.name).toMatch(/^recording-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.webm$/);
    await source.discard();
  });

  it('ends only after the last chunk, even when it comes just before stop and writes are slow', async () => {
    const { buffer, releaseAll } = await slowBuffer();
    const recorder = new FakeRecorder();
    const source = await fromMediaRecorder(recorder, { buffer });
    recorder.emit('first ');
    recorder.emit('last');
    recorder.stop();
    await settle();
    expect({ size: source.size, ended: source.ended }).toStrictEqual({ size: 0, ended: false });
    await releaseAll();
    expect({ size: source.size, ended: source.ended }).toStrictEqual({ size: 10, ended: true });
    expect(await (await source.slice(0, 10)).text()).toBe('first last');
  });

  it('keeps the chunks that come while the buffer is still opening', async () => {
    const recorder = new FakeRecorder();
    const opening = fromMediaRecorder(recorder, { storage: 'memory', id: 'early-chunks' });
    recorder.emit('ab');
    recorder.emit('cd');
    recorder.stop();
    const source = await opening;
    await settle();
    expect({ size: source.size, ended: source.ended }).toStrictEqual({ size: 4, ended: true });
    expect(await listRecordings({ storage: 'memory' })).toContain('early-chunks');
    await source.discard();
  });

  it('skips empty chunks and stops listening at stop', async () => {
    const recorder = new FakeRecorder();
    const source = await fromMediaRecorder(recorder, { storage: 'memory' });
    recorder.emit('');
    recorder.emit('x');
    recorder.stop();
    recorder.emit('after stop');
    await settle();
    expect({ size: source.size, ended: source.ended }).toStrictEqual({ size: 1, ended: true });
    await source.discard();
  });

  it('reports the first failed write once, and ends with the bytes stored before it', async () => {
    const { buffer, control, releaseAll } = await slowBuffer();
    const recorder = new FakeRecorder();
    const onError = vi.fn();
    const source = await fromMediaRecorder(recorder, { buffer, onError });
    recorder.emit('kept');
    await releaseAll();
    control.failing = true;
    recorder.emit('lost');
    recorder.emit('refused');
    recorder.stop();
    await releaseAll();
    expect(onError).toHaveBeenCalledOnce();
    expect(isTesseraError(onError.mock.calls[0]?.[0], 'source-error')).toBe(true);
    expect({ size: source.size, ended: source.ended }).toStrictEqual({ size: 4, ended: true });
  });

  it.each([
    { mimeType: 'video/mp4;codecs=avc1', type: 'video/mp4', extension: 'mp4' },
    { mimeType: 'video/x-matroska;codecs=avc1', type: 'video/x-matroska', extension: 'mkv' },
    { mimeType: 'audio/ogg', type: 'audio/ogg', extension: 'ogg' },
    { mimeType: '', type: 'video/webm', extension: 'webm' },
  ])('names a $mimeType recording *.$extension, typed $type', async ({ mimeType, type, extension }) => {
    const source = await fromMediaRecorder(new FakeRecorder(mimeType), { storage: 'memory' });
    expect(source.type).toBe(type);
    expect(source.name.endsWith(`.${extension}`)).toBe(true);
    await source.discard();
  });

  it('takes the id, name and type it is given', async () => {
    const source = await fromMediaRecorder(new FakeRecorder(), {
      storage: 'memory',
      id: 'given',
      name: 'talk.webm',
      type: 'video/webm;codecs=vp8',
    });
    expect(source).toMatchObject({ id: 'given', name: 'talk.webm', type: 'video/webm;codecs=vp8' });
    await source.discard();
  });

  it('rejects, and stops listening, when the buffer cannot be opened', async () => {
    const recorder = new FakeRecorder();
    const removed = vi.spyOn(recorder, 'removeEventListener');
    const error: unknown = await fromMediaRecorder(recorder, { storage: 'memory', id: '' }).catch((reason: unknown) => reason);
    expect(isTesseraError(error, 'invalid-field')).toBe(true);
    expect(removed.mock.calls.map(([type]) => type)).toStrictEqual(['dataavailable', 'stop']);
  });
});
