'use client';
import type { Upload } from '@tessera/core';
import { Fragment, type HTMLAttributes, type ReactNode, useEffect, useRef } from 'react';
import { UploadItem, type UploadItemProps } from './UploadItem.js';

/** Props of {@link UploadList}. */
export interface UploadListProps extends Omit<HTMLAttributes<HTMLUListElement>, 'children'> {
  uploads: readonly Upload[];
  /** Offer “Remove” on settled uploads; focus then moves to the next item (or the list). */
  onRemove?: (upload: Upload) => void;
  /** Replace each item (render an `<li>`); `remove` is the list's, with its focus handling. */
  renderItem?: (upload: Upload, controls: { remove?: () => void }) => ReactNode;
  /** Props for every default item (its slots, `showParts`). */
  itemProps?: Omit<UploadItemProps, 'upload' | 'onRemove'>;
  /** Shown instead of the list when there are no uploads. @default nothing */
  empty?: ReactNode;
}

/**
 * The list of uploads, each an {@link UploadItem} (or your `renderItem`). Adding or removing uploads
 * re-renders the list; progress re-renders only the items' own parts. After a removal, focus goes to the
 * item that took its place, so keyboard users do not fall back to the top of the page.
 *
 * @example
 * ```tsx
 * const { uploads, remove } = useMultipartUpload();
 * return <UploadList uploads={uploads} onRemove={(upload) => remove(upload.id)} />;
 * ```
 */
export function UploadList({ uploads, onRemove, renderItem, itemProps, empty, ...rest }: UploadListProps) {
  const list = useRef<HTMLUListElement>(null);
  const focusIndex = useRef<number | null>(null);
  useEffect(() => {
    const index = focusIndex.current;
    if (index === null || !list.current) return;
    focusIndex.current = null;
    const items = list.current.querySelectorAll<HTMLElement>(':scope > li');
    const next = items[Math.min(index, items.length - 1)];
    (next?.querySelector<HTMLElement>('button:not(:disabled)') ?? list.current).focus();
  }, [uploads]);

  if (uploads.length === 0 && empty !== undefined) return <>{empty}</>;
  const removeOf = (upload: Upload) =>
    onRemove &&
    (() => {
      focusIndex.current = uploads.indexOf(upload);
      onRemove(upload);
    });
  return (
    <ul ref={list} tabIndex={-1} aria-label="Uploads" data-tessera="upload-list" {...rest}>
      {uploads.map((upload) => {
        const remove = removeOf(upload);
        return (
          <Fragment key={upload.id}>
            {renderItem ? (
              renderItem(upload, remove ? { remove } : {})
            ) : (
              <UploadItem upload={upload} {...itemProps} {...(remove && { onRemove: remove })} />
            )}
          </Fragment>
        );
      })}
    </ul>
  );
}
