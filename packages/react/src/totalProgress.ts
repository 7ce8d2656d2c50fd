import type { UploadSnapshot, UploadStatus } from '@tessera/core';

/** Progress of several uploads together, from {@link totalProgress}. */
export interface TotalProgress {
  /** Uploads counted (every one but the cancelled). */
  count: number;
  /** How many uploads are in each status (cancelled ones included). */
  statuses: Readonly<Partial<Record<UploadStatus, number>>>;
  uploadedBytes: number;
  /** `null` while any upload's size is unknown (a recording). */
  totalBytes: number | null;
  /** In `[0, 1]`; `null` when the total is unknown; 1 when nothing is counted. */
  fraction: number | null;
  /** Sum of the known rates; `null` when none is known. */
  bytesPerSecond: number | null;
  /** 0 once every byte is sent; `null` when the total or the rate is unknown. */
  etaSeconds: number | null;
  /** Uploads with parts waiting to be tried again. */
  retrying: number;
}

/**
 * Add up uploads for a total progress bar. Cancelled uploads do not count; failed ones do (they can be retried).
 *
 * @example
 * ```ts
 * const total = totalProgress(uploads.map((upload) => upload.getSnapshot()));
 * total.fraction // 0.42
 * ```
 */
export function totalProgress(snapshots: readonly UploadSnapshot[]): TotalProgress {
  const statuses: Partial<Record<UploadStatus, number>> = {};
  let count = 0;
  let uploadedBytes = 0;
  let resendingBytes = 0;
  let totalBytes: number | null = 0;
  let bytesPerSecond: number | null = null;
  let retrying = 0;
  for (const { status, progress, parts } of snapshots) {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 'aborted' || status === 'aborting') continue;
    count += 1;
    if (parts.some((part) => part.status === 'retrying')) retrying += 1;
    uploadedBytes += progress.uploadedBytes;
    resendingBytes += progress.resendingBytes;
    totalBytes = totalBytes === null || progress.totalBytes === null ? null : totalBytes + progress.totalBytes;
    // Only running uploads move bytes; a paused one's decaying estimate would inflate the sum.
    if (progress.bytesPerSecond !== null && (status === 'uploading' || status === 'pausing')) {
      bytesPerSecond = (bytesPerSecond ?? 0) + progress.bytesPerSecond;
    }
  }
  // Bytes shown as uploaded that must be sent again still take time.
  const remaining = totalBytes === null ? null : Math.max(0, totalBytes - uploadedBytes) + resendingBytes;
  let etaSeconds: number | null = null;
  if (remaining === 0) etaSeconds = 0;
  else if (remaining !== null && bytesPerSecond !== null && bytesPerSecond > 0) etaSeconds = remaining / bytesPerSecond;
  const fraction = totalBytes === null ? null : totalBytes === 0 ? 1 : Math.min(1, uploadedBytes / totalBytes);
  return { count, statuses, uploadedBytes, totalBytes, fraction, bytesPerSecond, etaSeconds, retrying };
}

/** Whether two totals would show the same. */
export function totalProgressEqual(a: TotalProgress, b: TotalProgress): boolean {
  const keys = new Set([...Object.keys(a.statuses), ...Object.keys(b.statuses)]) as Set<UploadStatus>;
  return (
    a.count === b.count &&
    a.uploadedBytes === b.uploadedBytes &&
    a.totalBytes === b.totalBytes &&
    a.fraction === b.fraction &&
    a.bytesPerSecond === b.bytesPerSecond &&
    a.etaSeconds === b.etaSeconds &&
    a.retrying === b.retrying &&
    [...keys].every((key) => a.statuses[key] === b.statuses[key])
  );
}
