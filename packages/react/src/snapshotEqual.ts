import type { PartSnapshot, ProgressSnapshot, UploadSnapshot } from '@tessera/core';

/** Whether two progress readings would show the same. */
export function progressEqual(a: ProgressSnapshot, b: ProgressSnapshot): boolean {
  return (
    a === b ||
    (a.confirmedBytes === b.confirmedBytes &&
      a.inFlightBytes === b.inFlightBytes &&
      a.uploadedBytes === b.uploadedBytes &&
      a.totalBytes === b.totalBytes &&
      a.fraction === b.fraction &&
      a.bytesPerSecond === b.bytesPerSecond &&
      a.etaSeconds === b.etaSeconds &&
      a.resendingBytes === b.resendingBytes &&
      a.resets === b.resets)
  );
}

/** Whether two part lists would show the same (number, size, status, attempt, reason and retry time of every part). */
export function partsEqual(a: readonly PartSnapshot[], b: readonly PartSnapshot[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((part, index) => {
    const other = b[index];
    return (
      other !== undefined &&
      part.partNumber === other.partNumber &&
      part.size === other.size &&
      part.status === other.status &&
      part.attempt === other.attempt &&
      part.reason === other.reason &&
      part.retryAt === other.retryAt
    );
  });
}

/**
 * Whether two {@link UploadSnapshot}s would show the same: the compare function `useUpload` hands to
 * `useSelector`, so a component re-renders only when something it shows changed.
 *
 * @example
 * ```ts
 * const snapshot = useUploadSelector(upload, (s) => s, snapshotEqual);
 * ```
 */
export function snapshotEqual(a: UploadSnapshot, b: UploadSnapshot): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.status === b.status &&
      a.fileName === b.fileName &&
      a.size === b.size &&
      a.key === b.key &&
      a.uploadId === b.uploadId &&
      a.error === b.error &&
      a.result === b.result &&
      progressEqual(a.progress, b.progress) &&
      partsEqual(a.parts, b.parts))
  );
}
