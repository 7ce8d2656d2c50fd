'use client';
import type { PartSnapshot, PartStatus, Upload } from '@tessera/core';
import type { HTMLAttributes } from 'react';
import { partsEqual } from './snapshotEqual.js';
import { useUploadSelector } from './useUploadSelector.js';

/** Props of {@link UploadParts}. */
export interface UploadPartsProps extends HTMLAttributes<HTMLDivElement> {
  upload: Upload;
  /** Draw one cell per part up to this many parts; beyond, only the summary. @default 120 */
  maxCells?: number;
}

const WAITING: readonly PartStatus[] = ['queued', 'hashing', 'signing', 'ready'];

/** The parts of an upload in words: how many are stored, sending, retrying (and why) and waiting. */
export function summarizeParts(parts: readonly PartSnapshot[]): string {
  const count = (statuses: readonly PartStatus[]) => parts.filter((part) => statuses.includes(part.status)).length;
  const retrying = parts.filter((part) => part.status === 'retrying');
  const words = [`${count(['done'])} of ${parts.length} parts stored`];
  const sending = count(['uploading']);
  if (sending > 0) words.push(`${sending} sending`);
  if (retrying.length > 0) {
    const reasons = [...new Set(retrying.map((part) => part.reason).filter((reason) => reason !== null))];
    words.push(`${retrying.length} retrying${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`);
  }
  const waiting = count(WAITING);
  if (waiting > 0) words.push(`${waiting} waiting`);
  return words.join(' · ');
}

/**
 * The per-part states of an upload: a summary in words, and a strip of cells (`data-state` = the part's
 * status) for sighted users, hidden from screen readers, which get the summary.
 *
 * @example
 * ```tsx
 * <UploadParts upload={upload} maxCells={200} />
 * ```
 */
export function UploadParts({ upload, maxCells = 120, ...rest }: UploadPartsProps) {
  const parts = useUploadSelector(upload, (snapshot) => snapshot.parts, partsEqual);
  if (parts.length === 0) return null;
  return (
    <div data-tessera="parts" {...rest}>
      <span data-tessera="parts-summary">{summarizeParts(parts)}</span>
      {parts.length <= maxCells ? (
        <ol data-tessera="parts-strip" aria-hidden="true">
          {parts.map((part) => (
            <li
              key={part.partNumber}
              data-state={part.status}
              title={`Part ${part.partNumber}: ${part.status}${part.reason ? ` (${part.reason})` : ''}`}
            />
          ))}
        </ol>
      ) : null}
    </div>
  );
}
