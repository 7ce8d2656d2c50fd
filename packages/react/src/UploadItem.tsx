'use client';
import type { TesseraError, Upload, UploadStatus } from '@tessera/core';
import { type LiHTMLAttributes, type ReactNode, useId } from 'react';
import { describeError } from './describeError.js';
import { formatBytes } from './formatBytes.js';
import { nextRetryAt } from './retryCountdown.js';
import { RetryIn } from './RetryIn.js';
import { statusLabel } from './statusLabel.js';
import { UploadParts } from './UploadParts.js';
import { UploadProgress } from './UploadProgress.js';
import { useCompletedObject } from './useCompletedObject.js';
import { useCountdownClock } from './useCountdownClock.js';
import { useUploadSelector } from './useUploadSelector.js';

/** What an {@link UploadItem}'s slots receive. */
export interface UploadItemSlotProps {
  upload: Upload;
  status: UploadStatus;
  error: TesseraError | null;
  /** Whether “Retry” can help: false for a failure that would only fail again (see `canRetry`). */
  retryable: boolean;
  /** Absent when the item was given no `onRemove`. */
  remove?: () => void;
}

/** Props of {@link UploadItem}. */
export interface UploadItemProps extends Omit<LiHTMLAttributes<HTMLLIElement>, 'children'> {
  upload: Upload;
  /** Offer “Remove” once the upload has settled (or failed for good). */
  onRemove?: (upload: Upload) => void;
  /**
   * Whether to offer “Retry” for a failure. A failure that would only fail again (a file the server refuses,
   * another file picked to resume) gets its message and Remove (or Cancel) instead.
   * @default (error) => error.retryable
   */
  canRetry?: (error: TesseraError) => boolean;
  /** Show the per-part states. @default true */
  showParts?: boolean;
  /** Replace the buttons (start, pause/resume, retry, cancel, remove). */
  renderActions?: (props: UploadItemSlotProps) => ReactNode;
  /** Replace the progress bar. */
  renderProgress?: (props: UploadItemSlotProps) => ReactNode;
  /** Replace the error message (shown in an alert region). */
  renderError?: (props: UploadItemSlotProps) => ReactNode;
  /** Replace what is shown about the stored object once complete. */
  renderCompleted?: (props: UploadItemSlotProps) => ReactNode;
}

type Primary = { label: string; act: (upload: Upload) => void } | null;

const retryableError = (error: TesseraError) => error.retryable;

function primaryAction(status: UploadStatus, retryable: boolean): Primary {
  if (status === 'idle') return { label: 'Start', act: (upload) => upload.start() };
  if (status === 'uploading' || status === 'offline') return { label: 'Pause', act: (upload) => upload.pause() };
  if (status === 'paused' || status === 'pausing') return { label: 'Resume', act: (upload) => upload.resume() };
  if (status === 'failed' && retryable) return { label: 'Retry', act: (upload) => upload.retry() };
  return null;
}

function DefaultActions({ upload, status, retryable, remove }: UploadItemSlotProps) {
  const fileName = useUploadSelector(upload, (snapshot) => snapshot.fileName);
  const primary = primaryAction(status, retryable);
  // A failure Retry cannot cure is as final as a cancel: Remove (when offered) takes it off the list;
  // otherwise Cancel aborts it.
  const settled = status === 'completed' || status === 'aborted' || (status === 'failed' && !retryable && !!remove);
  // Fixed positions, so the focused button stays the same element when its label changes (Pause → Resume).
  return (
    <div data-tessera="upload-actions">
      {primary ? (
        <button
          key="primary"
          type="button"
          data-action={primary.label.toLowerCase()}
          aria-label={`${primary.label} ${fileName}`}
          onClick={() => primary.act(upload)}
        >
          {primary.label}
        </button>
      ) : null}
      {settled ? (
        remove ? (
          <button key="secondary" type="button" data-action="remove" aria-label={`Remove ${fileName}`} onClick={remove}>
            Remove
          </button>
        ) : null
      ) : (
        <button
          key="secondary"
          type="button"
          data-action="cancel"
          aria-label={`Cancel ${fileName}`}
          disabled={status === 'aborting'}
          onClick={() => upload.abort()}
        >
          Cancel
        </button>
      )}
    </div>
  );
}

function DefaultCompleted({ upload }: UploadItemSlotProps) {
  const { data } = useCompletedObject(upload);
  if (!data) return null;
  return (
    <p data-tessera="upload-completed">
      Stored as <code>{data.key}</code> ({formatBytes(data.size)})
    </p>
  );
}

/**
 * 'Retrying in 4 s' beside the status while parts of the upload wait to be tried again, counting down to the
 * first of them. Its own component, so the ticks re-render this line only; not a live region.
 */
function RetryNote({ upload }: { upload: Upload }) {
  const retryAt = useUploadSelector(upload, (snapshot) => nextRetryAt(snapshot.parts));
  const now = useCountdownClock(retryAt);
  if (retryAt === null) return null;
  return (
    <span data-tessera="upload-retry">
      Retrying <RetryIn retryAt={retryAt} now={now} />
    </span>
  );
}

/**
 * One upload: name, size, status in words (with a countdown while parts wait to retry), progress, per-part
 * states, a typed error, and buttons for what can be done next: Retry only for a failure that retrying can
 * cure. `data-state` is the status. Every part can be replaced through a `render…` prop.
 *
 * @example
 * ```tsx
 * <ul>{uploads.map((upload) => <UploadItem key={upload.id} upload={upload} onRemove={(u) => remove(u.id)} />)}</ul>
 * ```
 */
export function UploadItem(props: UploadItemProps) {
  const { upload, onRemove, canRetry = retryableError, showParts = true, ...rest } = props;
  const { renderActions, renderProgress, renderError, renderCompleted, ...attributes } = rest;
  const nameId = useId();
  const status = useUploadSelector(upload, (snapshot) => snapshot.status);
  const error = useUploadSelector(upload, (snapshot) => snapshot.error);
  const fileName = useUploadSelector(upload, (snapshot) => snapshot.fileName);
  const size = useUploadSelector(upload, (snapshot) => snapshot.progress.totalBytes);
  const retryable = error === null || canRetry(error);
  const slot: UploadItemSlotProps = {
    upload,
    status,
    error,
    retryable,
    ...(onRemove && { remove: () => onRemove(upload) }),
  };
  return (
    <li data-tessera="upload" data-state={status} aria-labelledby={nameId} {...attributes}>
      <div data-tessera="upload-header">
        <span id={nameId} data-tessera="upload-name">
          {fileName}
        </span>
        {size !== null ? <span data-tessera="upload-size">{formatBytes(size)}</span> : null}
        <span data-tessera="upload-status">{statusLabel(status)}</span>
        <RetryNote upload={upload} />
      </div>
      {renderProgress ? renderProgress(slot) : <UploadProgress upload={upload} />}
      {showParts && status !== 'completed' ? <UploadParts upload={upload} /> : null}
      {error && status === 'failed' ? (
        renderError ? (
          renderError(slot)
        ) : (
          <p role="alert" data-tessera="upload-error" data-code={error.code}>
            {describeError(error)}
          </p>
        )
      ) : null}
      {status === 'completed' ? (renderCompleted ? renderCompleted(slot) : <DefaultCompleted {...slot} />) : null}
      {renderActions ? renderActions(slot) : <DefaultActions {...slot} />}
    </li>
  );
}
