import type { ProgressSnapshot, UploadStatus } from '@tessera/core';
import { formatBytes } from './formatBytes.js';
import { formatDuration } from './formatDuration.js';
import { statusLabel } from './statusLabel.js';
import type { TotalProgress } from './totalProgress.js';

/** What a progress bar shows, from {@link progressView}. */
export interface ProgressView {
  /** Whole percent, rounded down (100 only once every byte is sent); `null` when the total is unknown. */
  percent: number | null;
  /** In `[0, 1]` to 0.1%; `null` when the total is unknown. */
  fraction: number | null;
  uploadedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number | null;
  /** `null` while parts wait to retry (see {@link progressView}). */
  etaSeconds: number | null;
  /** Parts wait to be tried again: the readout says so instead of a time left. */
  retrying: boolean;
  /** The upload's status, or for a total: `idle`, `uploading`, `paused`, `failed` or `completed`. */
  state: string;
  /** The readout, also the bar's `aria-valuetext`: `'42% · 12.6 MB of 30 MB · 3.1 MB/s · 6 s left'`. */
  text: string;
}

const RUNNING = new Set<string>(['uploading', 'pausing', 'preparing', 'completing']);

/** The `data-state` of a total: what most needs saying about the uploads together. */
export function totalState(total: TotalProgress): string {
  const { statuses, count } = total;
  if (count === 0) return 'idle';
  if (statuses.completed === count) return 'completed';
  if (Object.keys(statuses).some((status) => RUNNING.has(status))) return 'uploading';
  if (statuses.failed) return 'failed';
  if (statuses.paused || statuses.offline) return 'paused';
  return 'idle';
}

/**
 * What to show for a progress reading: whole percent, the bar's fraction, and a readout in words. A single
 * upload's status (other than uploading) leads the readout, so the state is never told by colour alone.
 * While parts wait to retry (`retrying`), no time left is shown: their bytes were taken back and wait out a
 * backoff the rate knows nothing of, so the estimate would be wrong and keep climbing; the readout says
 * 'waiting to retry' instead.
 *
 * @param retrying - some part waits to be tried again (for a total: some upload's part). @default false
 * @example
 * ```ts
 * progressView(snapshot.progress, snapshot.status).text // 'Paused · 42% · 12.6 MB of 30 MB'
 * progressView(snapshot.progress, 'uploading', true).text // '42% · 12.6 MB of 30 MB · 1.2 MB/s · waiting to retry'
 * ```
 */
export function progressView(
  progress: ProgressSnapshot | TotalProgress,
  status: UploadStatus | null,
  retrying = false,
): ProgressView {
  const { fraction, uploadedBytes, totalBytes, bytesPerSecond } = progress;
  const percent = fraction === null ? null : Math.floor(fraction * 100);
  const state = status ?? totalState(progress as TotalProgress);
  const words: string[] = [];
  if (status !== null && status !== 'uploading') words.push(statusLabel(status));
  words.push(
    totalBytes === null
      ? `${formatBytes(uploadedBytes)} uploaded`
      : `${percent}% · ${formatBytes(uploadedBytes)} of ${formatBytes(totalBytes)}`,
  );
  const waiting = retrying && state === 'uploading';
  const etaSeconds = waiting ? null : progress.etaSeconds;
  if (state === 'uploading' && bytesPerSecond !== null && bytesPerSecond > 0) {
    words.push(`${formatBytes(bytesPerSecond)}/s`);
    if (etaSeconds !== null && etaSeconds > 0) words.push(`${formatDuration(etaSeconds)} left`);
  }
  if (waiting) words.push('waiting to retry');
  return {
    percent,
    fraction: fraction === null ? null : Math.round(fraction * 1000) / 1000,
    uploadedBytes,
    totalBytes,
    bytesPerSecond,
    etaSeconds,
    retrying: waiting,
    state,
    text: words.join(' · '),
  };
}

/** Whether two views look the same (bytes may differ below what the readout and bar show). */
export function viewEqual(a: ProgressView, b: ProgressView): boolean {
  return a.text === b.text && a.fraction === b.fraction && a.state === b.state;
}
