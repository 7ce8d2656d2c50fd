import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../errors.js';
import { listRecordings } from './listRecordings.js';
import { openRecordingBuffer } from './recordingBuffer.js';

// Node has neither OPFS nor IndexedDB: here 'auto' is memory. The persistent stores are tested over
// stand-ins in recordingStores.test.ts and in Chromium by the browser tests.
describe('openRecordingBuffer', () => {
  it('falls back to memory where there is no OPFS nor IndexedDB', async () => {
    const buffer = await openRecordingBuffer('auto-in-node');
    expect(buffer).toMatchObject({ id: 'auto-in-node', storage: 'memory' });
    await buffer.discard();
  });

  it.each(['opfs', 'indexeddb'] as const)('rejects %s with source-error where it is missing', async (storage) => {
    await expect(openRecordingBuffer('x', { storage })).rejects.toSatisfy((error) => isTesseraError(error, 'source-error'));
  });

  it('gives the same buffer for an id until it is discarded, then a fresh one', async () => {
    const buffer = await openRecordingBuffer('shared', { storage: 'memory' });
    await buffer.append(new Blob(['abc']));
    expect(await openRecordingBuffer('shared')).toBe(buffer);
    expect(await listRecordings()).toContain('shared');

    await buffer.discard();
    expect(await listRecordings()).not.toContain('shared');
    const fresh = await openRecordingBuffer('shared', { storage: 'memory' });
    expect(fresh).not.toBe(buffer);
    expect(fresh.size()).toBe(0);
    await fresh.discard();
  });

  it('rejects with not-found for an unknown id when told not to create it', async () => {
    await expect(openRecordingBuffer('never-recorded', { storage: 'memory', create: false })).rejects.toSatisfy(
      (error) => isTesseraError(error, 'not-found'),
    );
    expect(await listRecordings({ storage: 'memory' })).not.toContain('never-recorded');
  });

  it.each(['', 'x'.repeat(201)])('rejects the id %j with invalid-field', async (id) => {
    await expect(openRecordingBuffer(id, { storage: 'memory' })).rejects.toSatisfy((error) => isTesseraError(error, 'invalid-field'));
  });
});
