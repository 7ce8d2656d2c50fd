'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * `value`, updated at most once per `intervalMs`: a change after a quiet spell shows at once, changes in
 * between wait, and the last one always shows. For live regions, which must not chatter.
 *
 * @example
 * ```tsx
 * const announcement = useThrottledValue(`${percent}% uploaded`, 5000);
 * return <div role="status">{announcement}</div>;
 * ```
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const show = () => {
      shownAt.current = Date.now();
      setShown(value);
    };
    const wait = shownAt.current + intervalMs - Date.now();
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);
  return shown;
}
