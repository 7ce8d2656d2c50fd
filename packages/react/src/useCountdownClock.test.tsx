import { act, renderHook } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { modes } from '../test/render.js';
import { useCountdownClock } from './useCountdownClock.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe.each(modes)('useCountdownClock $name', ({ strict }) => {
  const wrapper = strict ? StrictMode : undefined;
  // StrictMode renders twice each time.
  const perRender = strict ? 2 : 1;

  it('sets no timer while there is nothing to count down to', () => {
    const { result } = renderHook(() => useCountdownClock(null), { wrapper });
    expect(result.current).toBe(1_000_000);
    expect(vi.getTimerCount()).toBe(0);
    act(() => vi.advanceTimersByTime(5_000));
    expect(result.current).toBe(1_000_000);
  });

  it('ticks when the whole seconds left change, once a second, and stops with the deadline or on unmount', () => {
    let renders = 0;
    const { result, rerender, unmount } = renderHook(
      ({ deadline }: { deadline: number | null }) => {
        renders += 1;
        return useCountdownClock(deadline);
      },
      { initialProps: { deadline: null as number | null }, wrapper },
    );
    // 3.5 s to go: the first tick comes after half a second, when '4 s' becomes '3 s'.
    rerender({ deadline: 1_003_500 });
    expect(vi.getTimerCount()).toBe(1);
    const before = renders;
    act(() => vi.advanceTimersByTime(499));
    expect(renders).toBe(before);
    act(() => vi.advanceTimersByTime(1));
    expect(result.current).toBe(1_000_500);
    act(() => vi.advanceTimersByTime(1_000));
    expect(result.current).toBe(1_001_500);
    expect(renders).toBe(before + 2 * perRender);
    expect(vi.getTimerCount()).toBe(1);

    rerender({ deadline: null });
    expect(vi.getTimerCount()).toBe(0);
    rerender({ deadline: 1_010_000 });
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
