/**
 * Name of the Web Lock a page holds while it has a persisted recording open.
 *
 * @example
 * ```ts
 * recordingLockName('rec-1') // 'tessera-recording:rec-1'
 * ```
 */
export function recordingLockName(id: string): string {
  return `tessera-recording:${id}`;
}

/** The part of `navigator.locks` used here (a `LockManager`). */
export interface RecordingLocks {
  request(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<unknown> | undefined,
  ): Promise<unknown>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

/**
 * `navigator.locks` where the platform has Web Locks, else `null`. Read on call, never on import.
 *
 * @example
 * ```ts
 * const release = await takeRecordingLock(id, webLocks());
 * ```
 */
export function webLocks(): RecordingLocks | null {
  return typeof navigator !== 'undefined' && navigator.locks !== undefined ? navigator.locks : null;
}

/**
 * Take the Web Lock of a persisted recording without waiting, so two tabs never write or upload the same
 * recording (one still recording, the other reopening it as "unfinished"). Resolves with a function releasing
 * the lock, or `null` when another holder has it. Without Web Locks there is nothing to take: a no-op release.
 * A lock is also released when its page goes away, crashes included.
 *
 * @example
 * ```ts
 * const release = await takeRecordingLock('rec-1');
 * if (release === null) throw new Error('open in another tab');
 * ```
 */
export function takeRecordingLock(id: string, locks: RecordingLocks | null = webLocks()): Promise<(() => void) | null> {
  if (locks === null) return Promise.resolve(() => undefined);
  return new Promise((resolve, reject) => {
    locks
      .request(recordingLockName(id), { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(null);
          return undefined;
        }
        // The lock is held until the promise returned here settles.
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch(reject);
  });
}

/**
 * Ids among `ids` whose recording lock some page holds now (none known without Web Locks).
 *
 * @example
 * ```ts
 * const busy = await lockedRecordings(await store.list());
 * ```
 */
export async function lockedRecordings(ids: readonly string[], locks: RecordingLocks | null = webLocks()): Promise<Set<string>> {
  if (locks === null || ids.length === 0) return new Set();
  const held = new Set(((await locks.query()).held ?? []).map((lock) => lock.name));
  return new Set(ids.filter((id) => held.has(recordingLockName(id))));
}
