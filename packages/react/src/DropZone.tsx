'use client';
import { type HTMLAttributes, type ReactNode, useId } from 'react';
import type { DropzoneState, UseDropzoneOptions } from './dropzoneTypes.js';
import { describeRules } from './describeRules.js';
import { useDropzone } from './useDropzone.js';
import type { FileRejection } from './validateFiles.js';

/** What the render props of {@link DropZone} receive. */
export interface DropZoneRenderState {
  state: DropzoneState;
  rejections: readonly FileRejection[];
  open(): void;
}

/** Props of {@link DropZone}. */
export interface DropZoneProps extends UseDropzoneOptions, Omit<HTMLAttributes<HTMLDivElement>, 'onDrop' | 'children'> {
  /** The zone's visible name. @default 'Drop files here, or choose files' */
  label?: ReactNode;
  /**
   * The rules in words, shown under the zone (outside the button, so its name stays what it shows) and read
   * after the name as its description; `null` for none.
   * @default built from `accept`, `maxSize`, `minSize`, `maxFiles`
   */
  hint?: ReactNode;
  /** Replaces the zone's content (the label), which is also its name; receives the zone's state. */
  children?: ReactNode | ((state: DropZoneRenderState) => ReactNode);
  /** Replaces the list of refused files (shown in an alert region). */
  renderRejections?: (rejections: readonly FileRejection[]) => ReactNode;
}

function DefaultRejections({ rejections }: { rejections: readonly FileRejection[] }) {
  if (rejections.length === 0) return null;
  return (
    <ul data-tessera="rejections-list">
      {rejections.map(({ file, reasons }, index) => (
        <li key={`${file.name}-${index}`} data-tessera="rejection">
          {reasons.map((reason) => (
            <span key={reason.code} data-code={reason.code}>
              {reason.message}{' '}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

/**
 * A drop zone: click or press Enter/Space to choose files, or drop them. The zone (`role="button"`) is named
 * by what it shows; the rules hint sits under it and describes it (`aria-describedby`). Refused files are
 * listed, with why, in an alert region that screen readers announce. Unstyled: style
 * `[data-tessera="dropzone"]` and its `data-state` (`idle`, `drag-active`, `drag-reject`, `disabled`), or
 * import `@tessera/react/theme.css`.
 *
 * @example
 * ```tsx
 * <DropZone accept="video/*" maxSize={5e9} onDrop={(files) => add(files)} />
 * ```
 */
export function DropZone(props: DropZoneProps) {
  const { accept, maxSize, minSize, maxFiles, multiple, disabled, onDrop, ...rest } = props;
  const { label, hint, children, renderRejections, ...attributes } = rest;
  const zone = useDropzone({ accept, maxSize, minSize, maxFiles, multiple, disabled, onDrop });
  const labelId = useId();
  const hintId = useId();
  const rules = hint === undefined ? describeRules({ accept, maxSize, minSize, maxFiles }, multiple !== false) : hint;
  const described = rules !== null && rules !== false && rules !== '';
  const content =
    typeof children === 'function'
      ? children({ state: zone.state, rejections: zone.rejections, open: zone.open })
      : (children ?? (
          <span id={labelId} data-tessera="dropzone-label">
            {label ?? 'Drop files here, or choose files'}
          </span>
        ));
  return (
    <div data-tessera="dropzone" data-state={zone.state} {...attributes}>
      <div
        {...zone.getRootProps({
          // Named by the label, not by the whole content (the theme draws an icon before it).
          ...(children === undefined && { 'aria-labelledby': labelId }),
          // The hint is outside the button: inside, its words would be visible text missing from the name.
          ...(described && { 'aria-describedby': hintId }),
        })}
        data-tessera="dropzone-target"
      >
        <input {...zone.getInputProps()} />
        {content}
      </div>
      {described ? (
        <p id={hintId} data-tessera="dropzone-hint">
          {rules}
        </p>
      ) : null}
      {/* Always present, so that adding refusals to it is announced. */}
      <div role="alert" data-tessera="rejections">
        {renderRejections ? renderRejections(zone.rejections) : <DefaultRejections rejections={zone.rejections} />}
      </div>
    </div>
  );
}
