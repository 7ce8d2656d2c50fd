/**
 * Part slots shared by several uploads, so that all of them together keep at most `limit` parts in flight.
 * Synchronous by design: a session takes slots in the same step in which it starts parts.
 */
export interface SlotPool {
  readonly limit: number;
  available(): number;
  /** Take up to `count` slots for `owner`; returns how many were taken. */
  acquire(owner: string, count: number): number;
  release(owner: string, count?: number): void;
  /** Release everything `owner` holds (an upload that stopped). */
  releaseAll(owner: string): void;
  /** Called whenever slots are released. Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * @example
 * ```ts
 * const slots = createSlotPool(4); // shared by every upload of a queue
 * ```
 */
export function createSlotPool(limit: number): SlotPool {
  const held = new Map<string, number>();
  const listeners = new Set<() => void>();
  let inUse = 0;
  // Deferred: a release happens inside one upload's transition; the others react after it, not within it.
  const notify = () =>
    queueMicrotask(() => {
      for (const listener of [...listeners]) listener();
    });
  return {
    limit,
    available: () => limit - inUse,
    acquire(owner, count) {
      const taken = Math.max(0, Math.min(count, limit - inUse));
      inUse += taken;
      held.set(owner, (held.get(owner) ?? 0) + taken);
      return taken;
    },
    release(owner, count = 1) {
      const mine = held.get(owner) ?? 0;
      const freed = Math.min(mine, count);
      if (freed === 0) return;
      held.set(owner, mine - freed);
      inUse -= freed;
      notify();
    },
    releaseAll(owner) {
      const mine = held.get(owner) ?? 0;
      held.delete(owner);
      if (mine === 0) return;
      inUse -= mine;
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
