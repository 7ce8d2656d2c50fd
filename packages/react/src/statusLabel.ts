import type { UploadStatus } from '@tessera/core';

const LABELS: Record<UploadStatus, string> = {
  idle: 'Queued',
  elsewhere: 'Uploading in another tab',
  preparing: 'Preparing',
  uploading: 'Uploading',
  pausing: 'Pausing (finishing the parts being sent)',
  paused: 'Paused',
  offline: 'Waiting for the network',
  completing: 'Finishing',
  completed: 'Uploaded',
  aborting: 'Cancelling',
  aborted: 'Cancelled',
  failed: 'Failed',
};

/**
 * What an {@link UploadStatus} is called on screen. Components show it as text next to any colour, so no
 * state is told by colour alone.
 *
 * @example
 * ```ts
 * statusLabel('offline') // 'Waiting for the network'
 * ```
 */
export function statusLabel(status: UploadStatus): string {
  return LABELS[status];
}
