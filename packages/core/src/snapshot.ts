import type { SnapshotFrom } from 'xstate';
import type { TesseraError } from './errors.js';
import { type ProgressSnapshot, progressSnapshot } from './logic/progress.js';
import type { uploadMachine } from './machines/uploadMachine.js';
import type { CompleteUploadResponse } from './protocol.js';
import type { PartRecord, PartStatus } from './session.js';

/** Where an upload is. */
export type UploadStatus =
  | 'idle'
  /** Another page (a tab) is sending this upload; this one takes over when that page goes away. */
  | 'elsewhere'
  | 'preparing'
  | 'uploading'
  /** Paused with `finishInFlight`: the parts in flight finish, nothing new starts. */
  | 'pausing'
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

// Snapshots are read on every event (a part's progress fires many times a second), so what has not changed is
// not built again: a part's view is kept per part record, and the list per parts array. Without this, each
// progress event made one object per part, and garbage grew with the file's part count.
const partViews = new WeakMap<PartRecord, PartSnapshot>();
const partLists = new WeakMap<readonly PartRecord[], readonly PartSnapshot[]>();

function partView(part: PartRecord): PartSnapshot {
  let view = partViews.get(part);
  if (!view) {
    const { partNumber, size, status, attempt, reason, retryAt } = part;
    view = { partNumber, size, status, attempt, reason, retryAt };
    partViews.set(part, view);
  }
  return view;
}

function partList(parts: readonly PartRecord[]): readonly PartSnapshot[] {
  let list = partLists.get(parts);
  if (!list) {
    list = parts.map(partView);
    partLists.set(parts, list);
  }
  return list;
}

/** Where the machine's snapshot says the upload is. */
export function uploadStatusOf(snapshot: SnapshotFrom<typeof uploadMachine>): UploadStatus {
  const value = snapshot.value;
  const state = typeof value === 'string' ? value : (Object.keys(value)[0] as string);
  if (state === 'claiming') return snapshot.context.lock === 'elsewhere' ? 'elsewhere' : 'preparing';
  const status = state as UploadStatus;
  return status === 'uploading' && snapshot.context.draining ? 'pausing' : status;
}

/**
 * Read an {@link UploadSnapshot} off the machine's snapshot. Its `parts` (the list and each part) are the same
 * objects from one snapshot to the next until they change, so they can be compared by reference.
 */
export function toUploadSnapshot(snapshot: SnapshotFrom<typeof uploadMachine>, now: number): UploadSnapshot {
  const { context } = snapshot;
  return {
    id: context.id,
    status: uploadStatusOf(snapshot),
    fileName: context.source.name,
    size: context.source.size,
    key: context.upload?.key ?? null,
    uploadId: context.upload?.uploadId ?? null,
    progress: progressSnapshot(context.progress, now),
    parts: partList(context.parts),
    error: context.error,
    result: context.result,
  };
}
