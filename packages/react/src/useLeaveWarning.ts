'use client';
import type { Upload, UploadStatus } from '@tessera/core';
import { useEffect } from 'react';
import { useUploadsSelector } from './useUploadsSelector.js';

/** Statuses in which leaving the page stops an upload that is still on its way. */
const UNDER_WAY = new Set<UploadStatus>(['idle', 'preparing', 'uploading', 'pausing', 'paused', 'offline', 'completing']);

/**
 * Ask the browser to confirm leaving the page (`beforeunload`) while leaving would cost work the page cannot
 * take up again alone: while `active` is true (a recording in progress, say), or while one of `uploads` is
 * under way and cannot be resumed after a reload without the user picking its file again
 * (`upload.resumesAfterReload` is false). Recordings and uploads with a kept file handle resume by
 * themselves, so they never hold the page. No listener is registered otherwise.
 *
 * @example
 * ```tsx
 * useLeaveWarning(uploads);
 * ```
 */
export function useLeaveWarning(uploads: readonly Upload[], active = false): void {
  const atRisk = useUploadsSelector(uploads, (snapshots) =>
    snapshots.some((snapshot, index) => !uploads[index]?.resumesAfterReload && UNDER_WAY.has(snapshot.status)),
  );
  const warn = active || atRisk;
  useEffect(() => {
    if (!warn) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [warn]);
}
