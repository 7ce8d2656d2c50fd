'use client';
import { type DragEvent, useRef, useState } from 'react';
import { type FileRules, mightBeAccepted } from './validateFiles.js';

/** What is being dragged over a target: nothing, files it may take, or files it will refuse. */
export type DragState = 'none' | 'active' | 'reject';

/** Options of {@link useDragTarget}. */
export interface UseDragTargetOptions {
  onFiles: (files: File[]) => void;
  accept?: FileRules['accept'];
  multiple?: boolean;
  disabled?: boolean;
}

/**
 * Drag-and-drop of files onto an element: the handlers to spread on it, and whether files are over it (and
 * whether their types will be refused). Nested elements do not make the state flicker.
 *
 * @example
 * ```tsx
 * const { drag, handlers } = useDragTarget({ onFiles: add });
 * return <div {...handlers} data-state={drag}>Drop here</div>;
 * ```
 */
export function useDragTarget({ onFiles, accept, multiple = true, disabled = false }: UseDragTargetOptions) {
  // Enter and leave fire for every child crossed: count them so leaving a child is not leaving the target.
  const depth = useRef(0);
  const [drag, setDrag] = useState<DragState>('none');
  const handlers = {
    onDragEnter: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      if (disabled) return;
      depth.current += 1;
      const items = [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === 'file');
      const refused = (!multiple && items.length > 1) || items.some((item) => !mightBeAccepted(item.type, accept));
      setDrag(refused ? 'reject' : 'active');
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    },
    onDragLeave: () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDrag('none');
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      depth.current = 0;
      setDrag('none');
      if (!disabled) onFiles([...(event.dataTransfer?.files ?? [])]);
    },
  };
  return { drag, handlers };
}
