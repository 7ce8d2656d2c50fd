'use client';
import type { Upload, UploadSnapshot } from '@tessera/core';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { readUploadSnapshot } from './readUploadSnapshot.js';

/**
 * Read something computed from several uploads at once (a total, a count): subscribes to every upload's
 * actor and re-renders only when `compare` says the computed value changed.
 *
 * @param compare - whether two selections are the same. @default Object.is
 * @example
 * ```tsx
 * const failed = useUploadsSelector(uploads, (all) => all.filter((s) => s.status === 'failed').length);
 * ```
 */
export function useUploadsSelector<T>(
  uploads: readonly Upload[],
  select: (snapshots: readonly UploadSnapshot[]) => T,
  compare: (a: T, b: T) => boolean = Object.is,
): T {
  const last = useRef<{ uploads: readonly Upload[]; value: T } | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscriptions = uploads.map((upload) => upload.actor.subscribe(onChange));
      return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
    },
    [uploads],
  );
  // React calls this on every render and store change; it must return the same value while nothing changed.
  const read = (): T => {
    const value = select(uploads.map(readUploadSnapshot));
    const previous = last.current;
    if (previous !== null && previous.uploads === uploads && compare(previous.value, value)) return previous.value;
    last.current = { uploads, value };
    return value;
  };
  return useSyncExternalStore(subscribe, read, read);
}
