'use client';
import type { Upload } from '@tessera/core';
import { type TotalProgress, totalProgress, totalProgressEqual } from './totalProgress.js';
import { useUploadsSelector } from './useUploadsSelector.js';

/**
 * Progress of several uploads together (bytes, fraction, summed rate, ETA, count per status), for a total
 * progress bar.
 *
 * @example
 * ```tsx
 * const { fraction, etaSeconds } = useTotalProgress(uploads);
 * ```
 */
export function useTotalProgress(uploads: readonly Upload[]): TotalProgress {
  return useUploadsSelector(uploads, totalProgress, totalProgressEqual);
}
