import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLockManager } from '../../test/fakeLockManager.js';
import { createStorageUploadLock, createWebLocksUploadLock, uploadLockName } from './uploadLock.js';

describe('createWebLocksUploadLock', () => {
  it('holds one page at a time: the second waits, says so, and takes over when the first releases', async () => {
    const manager = fakeLockManager();
    const first = createWebLocksUploadLock(manager);
    const second = createWebLocksUploadLock(manager);
    const release = await first.acquire('u1', { signal: new AbortController().signal, onWaiting: () => {} });
    expect(await second.isHeld('u1')).toBe(true);
    const waiting = vi.fn();
    let granted = false;
    const taking = second.acquire('u1', { signal: new AbortController().signal, onWaiting: waiting }).then((r) => {
      granted = true;
      return r;
    });
    await new Promise((done) => setTimeout(done, 5));
    expect(waiting).toHaveBeenCalledTimes(1);
    expect(granted).toBe(false);
    release();
    (await taking)();
    expect(granted).toBe(true);
    await new Promise((done) => setTimeout(done, 0));
    expect(await second.isHeld('u1')).toBe(false);
  });

  it('stops waiting when the signal fires', async () => {
    const manager = fakeLockManager();
    await createWebLocksUploadLock(manager).acquire('u1', { signal: new AbortController().signal, onWaiting: () => {} });
    const controller = new AbortController();
    const taking = createWebLocksUploadLock(manager).acquire('u1', { signal: controller.signal, onWaiting: () => {} });
    controller.abort(new Error('gone'));
    await expect(taking).rejects.toThrow('gone');
  });
});

describe('createStorageUploadLock', () => {
  afterEach(() => vi.useRealTimers());

  function storage() {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
  }

  it('gives the lease to one of two pages, the other waits, and takes over when it is released', async () => {
    vi.useFakeTimers();
    const shared = storage();
    let tab = 0;
    const lock = () => createStorageUploadLock(shared, { now: () => Date.now(), random: () => `tab-${++tab}` });
    const [a, b] = [lock(), lock()];
    const waits: string[] = [];
    const claims = [a, b].map((page, index) =>
      page.acquire('u1', { signal: new AbortController().signal, onWaiting: () => waits.push(`tab-${index + 1}`) }),
    );
    await vi.advanceTimersByTimeAsync(300);
    expect(waits).toEqual(['tab-2']);
    const releaseA = await claims[0];
    const owner = () => JSON.parse(shared.items.get(uploadLockName('u1')) ?? '{}').owner as string;
    expect(owner()).toBe('tab-1');
    await vi.advanceTimersByTimeAsync(30_000);
    // Renewed while held, long past one lease: still not the waiting tab's.
    expect(owner()).toBe('tab-1');
    releaseA?.();
    await vi.advanceTimersByTimeAsync(1_500);
    const releaseB = await claims[1];
    expect(owner()).toBe('tab-2');
    releaseB?.();
    expect(shared.items.size).toBe(0);
  });

  it('of two pages whose writes cross (each saw the other lease too late), only the later writer holds', async () => {
    vi.useFakeTimers();
    const items = new Map<string, string>();
    // Tab 2's storage sees tab 1's writes only after 100 ms, as caches of other renderers do.
    const late = (from: Map<string, string>) => {
      const seen = new Map<string, string>();
      return {
        getItem: (key: string) => seen.get(key) ?? null,
        setItem: (key: string, value: string) => {
          seen.set(key, value);
          from.set(key, value);
        },
        removeItem: (key: string) => void seen.delete(key),
        sync: () => {
          for (const [key, value] of from) seen.set(key, value);
        },
      };
    };
    const one = late(items);
    const two = late(items);
    const a = createStorageUploadLock(one, { random: () => 'tab-1' });
    const b = createStorageUploadLock(two, { random: () => 'tab-2' });
    const holders: string[] = [];
    void a.acquire('u1', { signal: new AbortController().signal, onWaiting: () => {} }).then(() => holders.push('tab-1'));
    void b.acquire('u1', { signal: new AbortController().signal, onWaiting: () => {} }).then(() => holders.push('tab-2'));
    await vi.advanceTimersByTimeAsync(100);
    one.sync();
    two.sync();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(holders).toEqual(['tab-2']);
  });

  it('takes over a lease its page stopped renewing (a crashed tab) once it lapses', async () => {
    vi.useFakeTimers();
    const shared = storage();
    shared.setItem(uploadLockName('u1'), JSON.stringify({ owner: 'crashed', expires: Date.now() + 10_000 }));
    const page = createStorageUploadLock(shared, { random: () => 'me' });
    expect(await page.isHeld('u1')).toBe(true);
    let held = false;
    void page.acquire('u1', { signal: new AbortController().signal, onWaiting: () => {} }).then(() => (held = true));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(held).toBe(false);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(held).toBe(true);
  });
});
