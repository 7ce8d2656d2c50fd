'use client';
import type { Upload, UploadSnapshot } from '@tessera/core';
import { snapshotEqual } from './snapshotEqual.js';
import { useUploadSelector } from './useUploadSelector.js';

const whole = (snapshot: UploadSnapshot) => snapshot;

/**
 * Everything about one upload: status, progress (bytes, fraction, rate, ETA), per-part states and the typed
 * error. Re-renders on every change of this upload; read less with {@link useUploadSelector}.
 *
 * @example
 * ```tsx
 * function Row({ upload }: { upload: Upload }) {
 *   const { fileName, status, progress, error } = useUpload(upload);
 *   return <li>{fileName}: {status} {Math.round((progress.fraction ?? 0) * 100)}% {error?.code}</li>;
 * }
 * ```
 */
export function useUpload(upload: Upload): UploadSnapshot {
  return useUploadSelector(upload, whole, snapshotEqual);
}
