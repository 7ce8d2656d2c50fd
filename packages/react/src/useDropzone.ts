'use client';
import { type ChangeEvent, type KeyboardEvent, type MouseEvent, useCallback, useRef, useState } from 'react';
import { composeHandlers } from './composeHandlers.js';
import type { DropzoneState, UseDropzoneOptions, UseDropzoneResult } from './dropzoneTypes.js';
import { useDragTarget } from './useDragTarget.js';
import { acceptPatterns, type FileRejection, validateFiles } from './validateFiles.js';

const STATES = { none: 'idle', active: 'drag-active', reject: 'drag-reject' } as const;
const INTERACTIVE = 'button, a, input, select, textarea, [role="button"]';

/**
 * A headless drop zone: click, keyboard (Enter/Space) and drag-and-drop, with accept and size rules whose
 * refusals are returned, typed, to show. The zone is `role="button"`; give it a visible label.
 *
 * @example
 * ```tsx
 * const { getRootProps, getInputProps, rejections } = useDropzone({ accept: 'image/*', onDrop: (files) => add(files) });
 * return <div {...getRootProps({ className: 'zone' })}><input {...getInputProps()} />Drop images, or press Enter</div>;
 * ```
 */
export function useDropzone(options: UseDropzoneOptions = {}): UseDropzoneResult {
  const { onDrop, multiple = true, disabled = false, accept } = options;
  const input = useRef<HTMLInputElement | null>(null);
  const [rejections, setRejections] = useState<readonly FileRejection[]>([]);
  const take = (files: Iterable<File>) => {
    const { accepted, rejected } = validateFiles(files, { ...options, maxFiles: multiple ? options.maxFiles : 1 });
    setRejections(rejected);
    onDrop?.(accepted, rejected);
  };
  const { drag, handlers } = useDragTarget({ onFiles: take, accept, multiple, disabled });
  const state: DropzoneState = disabled ? 'disabled' : STATES[drag];
  const open = useCallback(() => {
    if (!disabled) input.current?.click();
  }, [disabled]);
  const onClick = (event: MouseEvent<HTMLElement>) => {
    // Clicks on buttons placed inside the zone are theirs.
    const hit = (event.target as Element).closest(INTERACTIVE);
    if (hit === null || hit === event.currentTarget) open();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault(); // Space would scroll the page
    open();
  };

  return {
    getRootProps: (props = {} as never) => ({
      role: 'button',
      tabIndex: disabled ? -1 : 0,
      'aria-disabled': disabled || undefined,
      ...props,
      'data-state': state,
      onClick: composeHandlers(props.onClick, onClick),
      onKeyDown: composeHandlers(props.onKeyDown, onKeyDown),
      onDragEnter: composeHandlers(props.onDragEnter, handlers.onDragEnter),
      onDragOver: composeHandlers(props.onDragOver, handlers.onDragOver),
      onDragLeave: composeHandlers(props.onDragLeave, handlers.onDragLeave),
      onDrop: composeHandlers(props.onDrop, handlers.onDrop),
    }),
    getInputProps: (props = {}) => ({
      type: 'file',
      accept: acceptPatterns(accept).join(',') || undefined,
      multiple,
      disabled,
      tabIndex: -1,
      style: { display: 'none' },
      ...props,
      ref: input,
      onChange: composeHandlers(props.onChange, (event: ChangeEvent<HTMLInputElement>) => {
        take([...(event.currentTarget.files ?? [])]);
        event.currentTarget.value = ''; // so that picking the same file again fires `change` again
      }),
      // The input's own click (from `open`) must not reach the zone and open the picker twice.
      onClick: composeHandlers(props.onClick, (event: MouseEvent<HTMLInputElement>) => event.stopPropagation()),
    }),
    open,
    state,
    rejections,
  };
}
