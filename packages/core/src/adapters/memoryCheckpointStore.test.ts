import { describe, expect, it } from 'vitest';
import { describeCheckpointStoreContract, sampleCheckpoint } from '../../test/checkpointStoreContract.js';
import { createMemoryCheckpointStore } from './memoryCheckpointStore.js';

describeCheckpointStoreContract('createMemoryCheckpointStore', { create: createMemoryCheckpointStore });

describe('createMemoryCheckpointStore', () => {
  it('keeps each store apart', async () => {
    const one = createMemoryCheckpointStore();
    await one.save(sampleCheckpoint());
    expect(await createMemoryCheckpointStore().list()).toStrictEqual([]);
  });
});
