import { describe, expect, it } from 'vitest';
import { createSlotPool } from './slotPool.js';

describe('createSlotPool', () => {
  it('never hands out more than its limit, across owners', () => {
    const pool = createSlotPool(4);
    expect(pool.acquire('a', 3)).toBe(3);
    expect(pool.acquire('b', 3)).toBe(1);
    expect(pool.acquire('c', 1)).toBe(0);
    expect(pool.available()).toBe(0);
    pool.release('a');
    expect(pool.available()).toBe(1);
    expect(pool.acquire('c', 5)).toBe(1);
  });

  it('releases only what an owner holds, and everything it holds at once', () => {
    const pool = createSlotPool(3);
    pool.acquire('a', 2);
    pool.release('b', 2);
    expect(pool.available()).toBe(1);
    pool.releaseAll('a');
    expect(pool.available()).toBe(3);
    pool.releaseAll('a');
    expect(pool.available()).toBe(3);
  });

  it('tells subscribers when slots come back (after the releasing step), and stops when unsubscribed', async () => {
    const pool = createSlotPool(1);
    const seen: number[] = [];
    const unsubscribe = pool.subscribe(() => seen.push(pool.available()));
    pool.acquire('a', 1);
    pool.release('a');
    expect(seen).toEqual([]);
    await Promise.resolve();
    unsubscribe();
    pool.acquire('a', 1);
    pool.releaseAll('a');
    expect(seen).toEqual([1]);
  });
});
