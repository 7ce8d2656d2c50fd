import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../errors.js';
import { sampleCheckpoint } from '../../test/checkpointStoreContract.js';
import { createIndexedDbCheckpointStore } from './indexedDbCheckpointStore.js';

// The store itself is exercised in Chromium by the browser tests; Node has no IndexedDB.
describe('createIndexedDbCheckpointStore', () => {
  it('does nothing when created, and reports a missing storage as checkpoint-error', async () => {
    expect(typeof indexedDB).toBe('undefined');
    const store = createIndexedDbCheckpointStore({ name: 'tessera-test' });
    for (const call of [store.prepare(), store.list(), store.load('x'), store.save(sampleCheckpoint()), store.delete('x')]) {
      const error: unknown = await call.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isTesseraError(error, 'checkpoint-error')).toBe(true);
    }
  });
});
