'use client';
import type { Checkpoint } from '@tessera/core';
import { Fragment, type HTMLAttributes, type ReactNode, useEffect, useId, useRef } from 'react';
import { describeError } from './describeError.js';
import { formatBytes } from './formatBytes.js';
import type { ResumableItem } from './useMultipartUpload.js';

/** Props of {@link ResumePanel}. */
export interface ResumePanelProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  items: readonly ResumableItem[];
  /** The user picked `file` to continue `checkpoint` (give it to `resumable.resume`). */
  onResume: (checkpoint: Checkpoint, file: File) => void;
  /** Offer “Discard”: abort on the server and forget. */
  onDiscard?: (checkpoint: Checkpoint) => void;
  /** @default 'Unfinished uploads' */
  heading?: ReactNode;
  /** Replace each item (render an `<li>`); `pick` opens a file picker and resumes with the file chosen. */
  renderItem?: (item: ResumableItem, controls: { pick: () => void; discard?: () => void }) => ReactNode;
}

interface ItemProps {
  item: ResumableItem;
  pick: () => void;
  discard: (() => void) | undefined;
}

function ResumeItem({ item, pick, discard }: ItemProps) {
  const { checkpoint, mismatch, storedBytes, unverified } = item;
  const pickButton = useRef<HTMLButtonElement>(null);
  const errorId = useId();
  // The item comes back with a refusal after a wrong file: put focus back where the user can try again.
  useEffect(() => {
    if (mismatch) pickButton.current?.focus();
  }, [mismatch]);
  const size = checkpoint.size ?? 0;
  const percent = size > 0 ? Math.floor((storedBytes / size) * 100) : 0;
  return (
    <li data-tessera="resumable" data-state={mismatch ? 'mismatch' : 'waiting'}>
      <span data-tessera="resumable-name">{checkpoint.fileName}</span>{' '}
      <span data-tessera="resumable-progress">
        {percent}% uploaded ({formatBytes(storedBytes)} of {formatBytes(size)}), started{' '}
        {new Date(checkpoint.createdAt).toLocaleString()}
      </span>
      {unverified ? (
        <span data-tessera="resumable-unverified"> Not checked with the server: {describeError(unverified)}</span>
      ) : null}
      {mismatch ? (
        <p id={errorId} role="alert" data-tessera="upload-error" data-code={mismatch.code}>
          {describeError(mismatch)} Expected {checkpoint.fileName} ({formatBytes(size)}).
        </p>
      ) : null}
      <div data-tessera="upload-actions">
        <button
          ref={pickButton}
          type="button"
          data-action="pick"
          // The name starts with the words on the button (speech input says what it sees), then the file.
          aria-label={`Choose file to resume ${checkpoint.fileName}`}
          aria-describedby={mismatch ? errorId : undefined}
          onClick={pick}
        >
          Choose file to resume
        </button>
        {discard ? (
          <button type="button" data-action="discard" aria-label={`Discard ${checkpoint.fileName}`} onClick={discard}>
            Discard
          </button>
        ) : null}
      </div>
    </li>
  );
}

/**
 * Uploads left unfinished by an earlier visit. A page cannot read a file again by itself after a reload, so
 * each item asks the user to choose the same file; another file is refused (`fingerprint-mismatch`) with a
 * message, and the item stays to try again. Renders nothing when there is nothing to resume.
 *
 * @example
 * ```tsx
 * const { resumable } = useMultipartUpload();
 * <ResumePanel items={resumable.items} onResume={resumable.resume} onDiscard={resumable.discard} />
 * ```
 */
export function ResumePanel({ items, onResume, onDiscard, heading, renderItem, ...rest }: ResumePanelProps) {
  const headingId = useId();
  // One picker for every item: it remembers which checkpoint asked.
  const input = useRef<HTMLInputElement>(null);
  const picking = useRef<Checkpoint | null>(null);
  if (items.length === 0) return null;
  const pickFor = (checkpoint: Checkpoint) => () => {
    picking.current = checkpoint;
    input.current?.click();
  };
  return (
    <section aria-labelledby={headingId} data-tessera="resume-panel" {...rest}>
      <h2 id={headingId} data-tessera="resume-heading">
        {heading ?? 'Unfinished uploads'}
      </h2>
      <p data-tessera="resume-hint">Choose each file again to continue where it stopped.</p>
      <ul data-tessera="resumable-list">
        {items.map((item) => {
          const pick = pickFor(item.checkpoint);
          const discard = onDiscard && (() => onDiscard(item.checkpoint));
          return (
            <Fragment key={item.checkpoint.id}>
              {renderItem ? (
                renderItem(item, { pick, ...(discard && { discard }) })
              ) : (
                <ResumeItem item={item} pick={pick} discard={discard} />
              )}
            </Fragment>
          );
        })}
      </ul>
      <input
        ref={input}
        type="file"
        tabIndex={-1}
        style={{ display: 'none' }}
        data-tessera="resume-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          const checkpoint = picking.current;
          event.currentTarget.value = '';
          if (file && checkpoint) onResume(checkpoint, file);
        }}
      />
    </section>
  );
}
