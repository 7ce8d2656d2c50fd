import type { SnapshotFrom } from 'xstate';
import type { TesseraError } from './errors.js';
import { type ProgressSnapshot, progressSnapshot } from './logic/progress.js';
import type { uploadMachine } from './machines/uploadMachine.js';
import type { CompleteUploadResponse } from './protocol.js';
import type { PartStatus } from './session.js';

/** Where an upload is. */
export type UploadStatus =
  | 'idle'
  | 'preparing'
  | 'uploading'
  | 'paused'
  | 'offline'
  | 'completing'
  | 'completed'
  | 'aborting'
  | 'aborted'
  | 'failed';

/** One part, for display. */
export interface PartSnapshot {
  partNumber: number;
  size: number;
  status: PartStatus;
  /** Attempts so far beyond the first. */
  attempt: number;
  /** Why the last attempt failed, while retrying (`network`, `stalled`, `http 503`, …). */
  reason: string | null;
  /** When the next attempt starts, while retrying (ms since the epoch): for a countdown. */
  retryAt: number | null;
}

/** The result of a completed upload. */
export type UploadResult = CompleteUploadResponse & {
  /** Whole-file SHA-256 (base64) this client computed while reading the file; `null` with `wholeFileSha256: false`. */
  sha256: string | null;
};

/** Everything a UI needs about one upload, at one moment. */
export interface UploadSnapshot {
  id: string;
  status: UploadStatus;
  fileName: string;
  size: number;
  key: string | null;
  uploadId: string | null;
  progress: ProgressSnapshot;
  parts: readonly PartSnapshot[];
  error: TesseraError | null;
  result: UploadResult | null;
}

/** Read an {@link UploadSnapshot} off the machine's snapshot. */
export function toUploadSnapshot(snapshot: SnapshotFrom<typeof uploadMachine>, now: number): UploadSnapshot {
  const { context } = snapshot;
  const value = snapshot.value;
  const status = (typeof value === 'string' ? value : Object.keys(value)[0]) as UploadStatus;
  return {
    id: context.id,
    status,
    fileName: context.source.name,
    size: context.source.size,
    key: context.upload?.key ?? null,
    uploadId: context.upload?.uploadId ?? null,
    progress: progressSnapshot(context.progress, now),
    parts: context.parts.map(({ partNumber, size, status: partStatus, attempt, reason, retryAt }) => ({
      partNumber,
      size,
      status: partStatus,
      attempt,
      reason,
      retryAt,
    })),
    error: context.error,
    result: context.result,
  };
}
