import type { UploadLock } from '../ports.js';

/** Name of the lock a page holds while it sends upload `id`. */
export function uploadLockName(id: string): string {
  return `tessera-upload:${id}`;
}

/** The part of `navigator.locks` used here (a `LockManager`). */
export interface WebLocks {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown> | undefined): Promise<unknown>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

/**
 * An {@link UploadLock} over Web Locks: held by one page at a time, queued for the others, and released by the
 * browser when its page goes away (closed, crashed, navigated).
 */
export function createWebLocksUploadLock(locks: WebLocks): UploadLock {
  const hold = (name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }) =>
    new Promise<(() => void) | null>((resolve, reject) => {
      locks
        .request(name, options, (lock) => {
          if (lock === null) {
            resolve(null);
            return undefined;
          }
          // Held until the promise returned here settles.
          return new Promise<void>((release) => resolve(() => release()));
        })
        .catch(reject);
    });
  return {
    async acquire(id, { signal, onWaiting }) {
      const name = uploadLockName(id);
      const now = await hold(name, { ifAvailable: true });
      if (now) return now;
      onWaiting();
      signal.throwIfAborted();
      return (await hold(name, { signal })) as () => void;
    },
    async isHeld(id) {
      const held = (await locks.query()).held ?? [];
      return held.some((lock) => lock.name === uploadLockName(id));
    },
  };
}

/** What a page writes into its lease. */
interface Lease {
  owner: string;
  expires: number;
}

const LEASE_MS = 10_000;
const RENEW_MS = 3_000;
const SETTLE_MS = 250;
const POLL_MS = 1_000;

/**
 * An {@link UploadLock} for browsers without Web Locks (or pages outside a secure context): a lease in
 * `localStorage`, renewed every 3 s while held and lapsing 10 s after its page stops renewing it. A page
 * writes its lease, waits for writes of other tabs to settle, and holds the lock only if its own lease is
 * still there (of two tabs claiming at once, the later write wins in both). A page that closes releases its
 * lease at once when the browser lets it run `pagehide`; a crashed one's lapses.
 */
export function createStorageUploadLock(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  options: { now?: () => number; random?: () => string; onPageHide?: (listener: () => void) => void } = {},
): UploadLock {
  const now = options.now ?? Date.now;
  const me = options.random?.() ?? crypto.randomUUID();
  const key = (id: string) => uploadLockName(id);
  const read = (id: string): Lease | null => {
    try {
      const value = JSON.parse(storage.getItem(key(id)) ?? 'null') as Lease | null;
      return value && typeof value.owner === 'string' && typeof value.expires === 'number' ? value : null;
    } catch {
      return null;
    }
  };
  const write = (id: string) => storage.setItem(key(id), JSON.stringify({ owner: me, expires: now() + LEASE_MS }));
  const free = (lease: Lease | null) => lease === null || lease.owner === me || lease.expires <= now();
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        fail(signal.reason);
      }, { once: true });
    });

  return {
    async acquire(id, { signal, onWaiting }) {
      let waiting = false;
      for (;;) {
        signal.throwIfAborted();
        if (free(read(id))) {
          write(id);
          await sleep(SETTLE_MS, signal);
          if (read(id)?.owner === me) break;
        }
        if (!waiting) {
          waiting = true;
          onWaiting();
        }
        await sleep(POLL_MS, signal);
      }
      const renew = setInterval(() => {
        if (read(id)?.owner === me) write(id);
      }, RENEW_MS);
      const release = () => {
        clearInterval(renew);
        if (read(id)?.owner === me) storage.removeItem(key(id));
      };
      options.onPageHide?.(release);
      return release;
    },
    async isHeld(id) {
      const lease = read(id);
      return lease !== null && lease.expires > now();
    },
  };
}

/**
 * The browser's upload lock: Web Locks where the page has them, a `localStorage` lease otherwise, none
 * (`null`) where there is neither (Node, a worker). Read on call, never on import.
 */
export function browserUploadLock(): UploadLock | null {
  if (typeof navigator !== 'undefined' && navigator.locks !== undefined) return createWebLocksUploadLock(navigator.locks);
  if (typeof localStorage === 'undefined') return null;
  return createStorageUploadLock(localStorage, {
    onPageHide: (release) => addEventListener('pagehide', release, { once: true }),
  });
}
