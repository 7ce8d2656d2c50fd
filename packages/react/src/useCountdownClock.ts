'use client';
import { useEffect, useState } from 'react';

const SECOND = 1000;

/**
 * The time now (ms since the epoch), for a countdown to `deadline`: the component re-renders once a second,
 * on the ticks where the whole seconds left to `deadline` change, and keeps ticking past it until `deadline`
 * is `null`. With no deadline there is no timer at all; unmounting clears it.
 *
 * @example
 * ```tsx
 * const now = useCountdownClock(retryAt);
 * return <span>Retrying in {secondsUntil(retryAt, now)} s</span>;
 * ```
 */
export function useCountdownClock(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const current = Date.now();
      setNow(current);
      // Wake when the rounded-up seconds left change, not a second after mounting: 4 s shows for a full second.
      const left = deadline - current;
      timer = setTimeout(tick, left > 0 ? left % SECOND || SECOND : SECOND);
    };
    tick();
    return () => clearTimeout(timer);
  }, [deadline]);
  return now;
}
