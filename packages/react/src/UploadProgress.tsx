'use client';
import type { PartSnapshot, Upload } from '@tessera/core';
import type { CSSProperties, HTMLAttributes, ReactNode } from 'react';
import { type ProgressView, progressView, viewEqual } from './progressView.js';
import { totalProgress } from './totalProgress.js';
import { useUploadSelector } from './useUploadSelector.js';
import { useUploadsSelector } from './useUploadsSelector.js';

/** Props of {@link UploadProgress}: one `upload`, or `uploads` for their total. */
export interface UploadProgressProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  upload?: Upload;
  uploads?: readonly Upload[];
  /** The bar's accessible name. @default the file name, or 'Total progress' */
  label?: string;
  /** Replaces the bar's content (track and readout); the element and its ARIA values stay. */
  children?: (view: ProgressView) => ReactNode;
}

const isRetrying = (part: PartSnapshot) => part.status === 'retrying';

type MeterProps = Omit<UploadProgressProps, 'upload' | 'uploads'> & { view: ProgressView; defaultLabel: string };

function ProgressMeter({ view, label, defaultLabel, children, style, ...rest }: MeterProps) {
  const fill = { '--tessera-progress': view.fraction ?? 0, ...style } as CSSProperties;
  return (
    <div
      role="progressbar"
      aria-label={label ?? defaultLabel}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={view.percent ?? undefined}
      aria-valuetext={view.text}
      data-tessera="progress"
      data-state={view.state}
      data-indeterminate={view.percent === null || undefined}
      style={fill}
      {...rest}
    >
      {children ? (
        children(view)
      ) : (
        <>
          <span data-tessera="progress-track" aria-hidden="true">
            <span data-tessera="progress-fill" />
          </span>
          <span data-tessera="progress-text">{view.text}</span>
        </>
      )}
    </div>
  );
}

function SingleProgress({ upload, ...rest }: UploadProgressProps & { upload: Upload }) {
  const view = useUploadSelector(
    upload,
    (snapshot) => progressView(snapshot.progress, snapshot.status, snapshot.parts.some(isRetrying)),
    viewEqual,
  );
  const fileName = useUploadSelector(upload, (snapshot) => snapshot.fileName);
  return <ProgressMeter view={view} defaultLabel={`${fileName} progress`} {...rest} />;
}

function TotalProgressMeter({ uploads = [], ...rest }: UploadProgressProps) {
  const view = useUploadsSelector(
    uploads,
    (snapshots) => {
      const total = totalProgress(snapshots);
      return progressView(total, null, total.retrying > 0);
    },
    viewEqual,
  );
  return <ProgressMeter view={view} defaultLabel="Total progress" {...rest} />;
}

/**
 * A progress bar (`role="progressbar"` with `aria-valuenow` in percent and a readout as `aria-valuetext`) for
 * one upload or the total of several. Re-renders only when what it shows changes. Unstyled: the fill's
 * width is the CSS variable `--tessera-progress` (0–1); `data-state` carries the status. A recording (size
 * unknown) gives an indeterminate bar (no `aria-valuenow`).
 *
 * @example
 * ```tsx
 * <UploadProgress upload={upload} />
 * <UploadProgress uploads={uploads} label="All files" />
 * ```
 */
export function UploadProgress({ upload, ...rest }: UploadProgressProps) {
  return upload ? <SingleProgress upload={upload} {...rest} /> : <TotalProgressMeter {...rest} />;
}
