'use client';
import type { Upload } from '@tessera/core';
import { formatBytes } from './formatBytes.js';
import { type TotalProgress, totalProgress } from './totalProgress.js';
import { useThrottledValue } from './useThrottledValue.js';
import { useUploadsSelector } from './useUploadsSelector.js';
import { visuallyHidden } from './visuallyHidden.js';

/** Props of {@link ProgressAnnouncer}. */
export interface ProgressAnnouncerProps {
  uploads: readonly Upload[];
  /** Shortest time between two announcements. @default 10000 */
  intervalMs?: number;
  /** The sentence to announce. @default e.g. '2 of 3 files uploaded. 45% of 30 MB sent. 1 waiting to retry.' */
  describe?: (total: TotalProgress) => string;
}

/**
 * The default announcement: files done, failures, bytes (percent in steps of 5, so it changes rarely), and
 * uploads waiting to retry (said once, not counted down).
 */
export function describeTotal(total: TotalProgress): string {
  if (total.count === 0) return '';
  const done = total.statuses.completed ?? 0;
  const failed = total.statuses.failed ?? 0;
  const files = `${done} of ${total.count} ${total.count === 1 ? 'file' : 'files'} uploaded.`;
  const failures = failed > 0 ? ` ${failed} failed.` : '';
  if (done === total.count) return files;
  const sent =
    total.fraction === null || total.totalBytes === null
      ? ` ${formatBytes(total.uploadedBytes)} sent.`
      : ` ${Math.floor(total.fraction * 20) * 5}% of ${formatBytes(total.totalBytes)} sent.`;
  const retrying = total.retrying > 0 ? ` ${total.retrying} waiting to retry.` : '';
  return files + failures + sent + retrying;
}

/**
 * A visually hidden live region (`role="status"`, polite) that tells screen-reader users how the uploads
 * are going, at most once per `intervalMs`, without the noise of every progress tick.
 *
 * @example
 * ```tsx
 * <ProgressAnnouncer uploads={uploads} intervalMs={15000} />
 * ```
 */
export function ProgressAnnouncer({ uploads, intervalMs = 10_000, describe = describeTotal }: ProgressAnnouncerProps) {
  // Selecting the sentence (not the bytes) re-renders this only when the sentence changes.
  const sentence = useUploadsSelector(uploads, (snapshots) => describe(totalProgress(snapshots)));
  const announced = useThrottledValue(sentence, intervalMs);
  return (
    <div role="status" aria-live="polite" aria-atomic="true" data-tessera="announcer" style={visuallyHidden}>
      {announced}
    </div>
  );
}
