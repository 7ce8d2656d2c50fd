'use client';
import type { Upload } from '@tessera/core';
import { type HTMLAttributes, type ReactNode, useId } from 'react';
import { DropZone } from './DropZone.js';
import { ProgressAnnouncer } from './ProgressAnnouncer.js';
import { ResumePanel } from './ResumePanel.js';
import type { TesseraOptions } from './tesseraContext.js';
import type { UploadItemProps } from './UploadItem.js';
import { UploadList } from './UploadList.js';
import { UploadProgress } from './UploadProgress.js';
import { useLeaveWarning } from './useLeaveWarning.js';
import { type UseMultipartUploadResult, useMultipartUpload } from './useMultipartUpload.js';
import type { FileRejection, FileRules } from './validateFiles.js';

/** Replacements for each part of {@link ResumableUpload}; each gets what it needs to work. */
export interface ResumableUploadSlots {
  /** The drop zone; call `onDrop` with the files to add. */
  dropZone?: (props: { onDrop: (accepted: File[], rejected: FileRejection[]) => void; rules: FileRules }) => ReactNode;
  /** The unfinished-uploads panel. */
  resumePanel?: (resumable: UseMultipartUploadResult['resumable']) => ReactNode;
  /** The “all files” buttons (pause all, resume all, cancel all). */
  toolbar?: (controls: UseMultipartUploadResult) => ReactNode;
  /** The total progress bar. */
  totalProgress?: (uploads: readonly Upload[]) => ReactNode;
  /** The whole list. */
  list?: (controls: UseMultipartUploadResult) => ReactNode;
  /** Each item of the default list (render an `<li>`). */
  item?: (upload: Upload, controls: { remove?: () => void }) => ReactNode;
  /** The live region that announces progress. */
  announcer?: (uploads: readonly Upload[]) => ReactNode;
}

/** Props of {@link ResumableUpload}. */
export interface ResumableUploadProps extends FileRules, Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** @default the `TesseraProvider`'s */
  endpoint?: string;
  /** Core options over the provider's (concurrency, retry, headers, ports). Read once. */
  options?: TesseraOptions;
  /** @default true */
  multiple?: boolean;
  /** The region's accessible name. @default 'File upload' */
  label?: string;
  /** Props for every default list item (its own slots, `showParts`). */
  itemProps?: Omit<UploadItemProps, 'upload' | 'onRemove'>;
  slots?: ResumableUploadSlots;
  /** Called with the uploads created for each drop or pick. */
  onAdd?: (uploads: Upload[]) => void;
  /**
   * Ask before the page is left while an upload is under way that could only be resumed by choosing its file
   * again (see `useLeaveWarning`). @default true
   */
  warnOnLeave?: boolean;
}

const NO_UPLOADS: readonly Upload[] = [];

function Toolbar({ uploads, pause, resume, abort }: UseMultipartUploadResult) {
  if (uploads.length < 2) return null;
  return (
    <div role="group" aria-label="All uploads" data-tessera="toolbar">
      <button type="button" data-action="pause-all" onClick={() => pause()}>
        Pause all
      </button>
      <button type="button" data-action="resume-all" onClick={() => resume()}>
        Resume all
      </button>
      <button type="button" data-action="cancel-all" onClick={() => abort()}>
        Cancel all
      </button>
    </div>
  );
}

/**
 * A complete, accessible uploader: a drop zone, the list of files with per-file and total progress, pause /
 * resume / cancel / retry, and a panel to resume uploads left unfinished by a reload (the user chooses each
 * file again; a different file is refused with a message). Unstyled; import `@tessera/react/theme.css` for
 * the default look, and replace any part through `slots`.
 *
 * @example
 * ```tsx
 * <ResumableUpload endpoint="/api/uploads" accept="video/*" maxSize={10e9} />
 * ```
 */
export function ResumableUpload(props: ResumableUploadProps) {
  const {
    endpoint,
    options,
    accept,
    maxSize,
    minSize,
    maxFiles,
    multiple,
    label,
    itemProps,
    slots = {},
    onAdd,
    warnOnLeave = true,
    ...rest
  } = props;
  const controls = useMultipartUpload({ ...options, ...(endpoint !== undefined && { endpoint }) });
  useLeaveWarning(warnOnLeave ? controls.uploads : NO_UPLOADS);
  const { uploads, resumable } = controls;
  const headingId = useId();
  const rules: FileRules = { accept, maxSize, minSize, maxFiles };
  const onDrop = (accepted: File[]) => {
    if (accepted.length === 0) return;
    const added = controls.add(accepted);
    onAdd?.(added);
  };
  const remove = (upload: Upload) => controls.remove(upload.id);
  return (
    <section aria-label={label ?? 'File upload'} data-tessera="resumable-upload" {...rest}>
      {slots.dropZone ? (
        slots.dropZone({ onDrop, rules })
      ) : (
        <DropZone {...rules} {...(multiple !== undefined && { multiple })} onDrop={onDrop} />
      )}
      {slots.resumePanel ? (
        slots.resumePanel(resumable)
      ) : (
        <ResumePanel items={resumable.items} onResume={resumable.resume} onDiscard={resumable.discard} />
      )}
      {uploads.length > 0 ? (
        <div data-tessera="uploads" aria-labelledby={headingId}>
          <h2 id={headingId} data-tessera="uploads-heading">
            Files
          </h2>
          {slots.toolbar ? slots.toolbar(controls) : <Toolbar {...controls} />}
          {slots.totalProgress
            ? slots.totalProgress(uploads)
            : uploads.length > 1 && <UploadProgress uploads={uploads} />}
        </div>
      ) : null}
      {slots.list ? (
        slots.list(controls)
      ) : (
        <UploadList
          uploads={uploads}
          onRemove={remove}
          itemProps={itemProps ?? {}}
          {...(slots.item && { renderItem: slots.item })}
          {...(uploads.length > 0 && { 'aria-labelledby': headingId })}
        />
      )}
      {slots.announcer ? slots.announcer(uploads) : <ProgressAnnouncer uploads={uploads} />}
    </section>
  );
}
