'use client';
import type { Upload, UploadSnapshot } from '@tessera/core';
import { useSelector } from '@xstate/react';
import { readUploadSnapshot } from './readUploadSnapshot.js';

/**
 * Read part of an upload's state with `useSelector` on its actor: the component re-renders only when
 * `compare` says the selected value changed, so a progress tick re-renders only what reads progress.
 *
 * @param compare - whether two selections are the same. @default Object.is
 * @example
 * ```tsx
 * function Status({ upload }: { upload: Upload }) {
 *   const status = useUploadSelector(upload, (s) => s.status);
 *   return <span>{statusLabel(status)}</span>;
 * }
 * ```
 */
export function useUploadSelector<T>(
  upload: Upload,
  select: (snapshot: UploadSnapshot) => T,
  compare: (a: T, b: T) => boolean = Object.is,
): T {
  return useSelector(upload.actor, () => select(readUploadSnapshot(upload)), compare);
}
