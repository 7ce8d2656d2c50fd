import type { HTMLAttributes, InputHTMLAttributes, RefObject } from 'react';
import type { FileRejection, FileRules } from './validateFiles.js';

/** Options of `useDropzone`. */
export interface UseDropzoneOptions extends FileRules {
  /** Called with every drop or pick: the files the rules took, and the refused ones with their reasons. */
  onDrop?: (accepted: File[], rejected: FileRejection[]) => void;
  /** Take several files at once. @default true */
  multiple?: boolean;
  disabled?: boolean;
}

/** `data-state` of a drop zone, for styling. */
export type DropzoneState = 'idle' | 'drag-active' | 'drag-reject' | 'disabled';

type RootProps = HTMLAttributes<HTMLElement> & { 'data-state': DropzoneState };
type InputProps = InputHTMLAttributes<HTMLInputElement> & { ref: RefObject<HTMLInputElement | null> };

/** What `useDropzone` returns. */
export interface UseDropzoneResult {
  /** Props for the zone: a focusable button (click, Enter, Space) and a drop target. Pass yours in to compose. */
  getRootProps<P extends HTMLAttributes<HTMLElement>>(props?: P): P & RootProps;
  /** Props for the hidden `<input type="file">` inside the zone. */
  getInputProps(props?: InputHTMLAttributes<HTMLInputElement>): InputProps;
  /** Open the file picker. */
  open(): void;
  state: DropzoneState;
  /** The files refused by the last drop or pick. */
  rejections: readonly FileRejection[];
}
