import type { WebLocks } from '../src/adapters/uploadLock.js';

/** A LockManager in memory: exclusive locks, queued requests, `ifAvailable`, `query`. */
export function fakeLockManager(): WebLocks {
  const held = new Set<string>();
  const queues = new Map<string, Array<() => void>>();
  const grant = (name: string, callback: (lock: unknown) => Promise<unknown> | undefined) => {
    held.add(name);
    return Promise.resolve(callback({ name })).finally(() => {
      held.delete(name);
      queues.get(name)?.shift()?.();
    });
  };
  return {
    async request(name, options, callback) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!held.has(name)) return grant(name, callback);
      if (options.ifAvailable) return callback(null);
      await new Promise<void>((turn, fail) => {
        queues.set(name, [...(queues.get(name) ?? []), turn]);
        options.signal?.addEventListener('abort', () => fail(options.signal?.reason));
      });
      return grant(name, callback);
    },
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
  };
}
