import type { Checkpoint } from '../logic/checkpoint.js';
import type { CheckpointStore } from '../ports.js';

/**
 * A {@link CheckpointStore} in memory, for tests, Node and pages that must not persist anything. Saves and
 * returns structured clones, so neither side can change the other's copy; `list()` is in no particular order.
 *
 * @example
 * ```ts
 * const upload = createUpload({ source: file, endpoint: '/api/uploads', checkpoints: createMemoryCheckpointStore() });
 * ```
 */
export function createMemoryCheckpointStore(): CheckpointStore {
  const checkpoints = new Map<string, Checkpoint>();
  return {
    load: async (id) => {
      const checkpoint = checkpoints.get(id);
      return checkpoint === undefined ? null : structuredClone(checkpoint);
    },
    save: async (checkpoint) => {
      checkpoints.set(checkpoint.id, structuredClone(checkpoint));
    },
    delete: async (id) => {
      checkpoints.delete(id);
    },
    list: async () => [...checkpoints.values()].map((checkpoint) => structuredClone(checkpoint)),
  };
}
