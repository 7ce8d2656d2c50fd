import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTask } from './nextTask.js';

describe('nextTask', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('resolves after the microtasks queued before it, in a later task', async () => {
    const order: string[] = [];
    const done = nextTask().then(() => order.push('next task'));
    void Promise.resolve().then(() => order.push('microtask'));
    queueMicrotask(() => order.push('queued microtask'));
    await done;
    expect(order).toEqual(['microtask', 'queued microtask', 'next task']);
  });

  it('is not a timer: fake timers that never advance do not hold it back', async () => {
    vi.useFakeTimers();
    try {
      await expect(nextTask()).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("uses the browser's scheduler.yield() where there is one", async () => {
    const yieldTask = vi.fn(() => Promise.resolve());
    vi.stubGlobal('scheduler', { yield: yieldTask });
    await nextTask();
    expect(yieldTask).toHaveBeenCalledTimes(1);
  });
});
