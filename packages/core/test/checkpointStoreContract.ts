/**
 * The behaviour every CheckpointStore shares, as a Vitest suite to run against each one: the memory store in
 * unit tests, the IndexedDB store in browser tests.
 */
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../src/logic/checkpoint.js';
import type { CheckpointStore } from '../src/ports.js';
import { sampleCheckpoint } from './sampleCheckpoint.js';

export { sampleCheckpoint };

const MiB = 2 ** 20;

/** How to get a fresh, empty store; and, for stores that can hold anything, how to write a raw value. */
export interface CheckpointStoreSubject {
  create(): CheckpointStore | Promise<CheckpointStore>;
  writeRaw?(store: CheckpointStore, id: string, value: unknown): Promise<void>;
}

const byId = (checkpoints: Checkpoint[]) => [...checkpoints].sort((a, b) => a.id.localeCompare(b.id));

/** Register the CheckpointStore contract tests for `subject` under `name`. */
export function describeCheckpointStoreContract(name: string, subject: CheckpointStoreSubject): void {
  describe(`${name} (CheckpointStore contract)`, () => {
    it('loads null for an unknown id, and lists nothing when empty', async () => {
      const store = await subject.create();
      expect(await store.load('missing')).toBeNull();
      expect(await store.list()).toStrictEqual([]);
    });

    it('loads what it saved, as a copy that does not follow later changes', async () => {
      const store = await subject.create();
      const checkpoint = sampleCheckpoint();
      await store.save(checkpoint);
      checkpoint.parts.push({ partNumber: 3, size: 4 * MiB, etag: 'etag-3', checksum: 'sum-3' });
      const loaded = await store.load('local-1');
      expect(loaded).toStrictEqual(sampleCheckpoint());
      loaded?.parts.pop();
      expect(await store.load('local-1')).toStrictEqual(sampleCheckpoint());
    });

    it('replaces a checkpoint saved again under the same id', async () => {
      const store = await subject.create();
      await store.save(sampleCheckpoint());
      await store.save(sampleCheckpoint({ updatedAt: 1_700_000_120_000, hashedThrough: 1 }));
      expect(await store.load('local-1')).toMatchObject({ updatedAt: 1_700_000_120_000, hashedThrough: 1 });
      expect(await store.list()).toHaveLength(1);
    });

    it('lists every checkpoint, and forgets deleted ones', async () => {
      const store = await subject.create();
      const growing = sampleCheckpoint({ id: 'local-2', fingerprint: null, size: null, partCount: null, source: 'growing' });
      await store.save(sampleCheckpoint());
      await store.save(growing);
      expect(byId(await store.list())).toStrictEqual([sampleCheckpoint(), growing]);
      await store.delete('local-1');
      await store.delete('never-saved');
      expect(await store.load('local-1')).toBeNull();
      expect(await store.list()).toStrictEqual([growing]);
    });

    // Only stores that can hold arbitrary values (IndexedDB) can hold malformed ones.
    const { writeRaw } = subject;
    if (writeRaw === undefined) return;
    it('leaves out malformed entries', async () => {
      const store = await subject.create();
      await store.save(sampleCheckpoint());
      await writeRaw(store, 'broken', { ...sampleCheckpoint({ id: 'broken' }), version: 99 });
      await writeRaw(store, 'junk', 'not a checkpoint');
      expect(await store.load('broken')).toBeNull();
      expect(await store.load('junk')).toBeNull();
      expect(await store.list()).toStrictEqual([sampleCheckpoint()]);
    });
  });
}
