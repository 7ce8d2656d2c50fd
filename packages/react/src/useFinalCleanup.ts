'use client';
import { useEffect, useRef } from 'react';

/**
 * Run `cleanup` once the component is really gone. StrictMode (in development) unmounts and remounts every
 * component right away to test its effects; a cleanup that stops actors would then kill live uploads. The
 * remount happens in the same task, so the cleanup waits a microtask and runs only if no mount followed.
 *
 * @example
 * ```ts
 * useFinalCleanup(() => collection.stop());
 * ```
 */
export function useFinalCleanup(cleanup: () => void): void {
  const mounts = useRef(0);
  const latest = useRef(cleanup);
  useEffect(() => {
    latest.current = cleanup;
  });
  useEffect(() => {
    mounts.current += 1;
    return () => {
      mounts.current -= 1;
      queueMicrotask(() => {
        if (mounts.current === 0) latest.current();
      });
    };
  }, []);
}
