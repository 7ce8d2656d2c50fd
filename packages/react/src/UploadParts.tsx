'use client';
import type { PartSnapshot, PartStatus, Upload } from '@tessera/core';
import type { HTMLAttributes } from 'react';
import { nextRetryAt, retryingParts } from './retryCountdown.js';
import { RetryIn } from './RetryIn.js';
import { partsEqual } from './snapshotEqual.js';
import { useCountdownClock } from './useCountdownClock.js';
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
 * One line per part waiting to be tried again, counting down to its next attempt: 'Part 3: retrying in 4 s
 * (attempt 2, http 503)'. Its own component, so the ticks re-render these lines only; not a live region,
 * so screen readers are not told every second.
 */
function RetryCountdowns({ parts }: { parts: readonly PartSnapshot[] }) {
  const now = useCountdownClock(nextRetryAt(parts));
  return (
    <ul data-tessera="parts-retrying">
      {parts.map((part) => {
        const details = [`attempt ${part.attempt + 1}`, ...(part.reason ? [part.reason] : [])].join(', ');
        const when = part.retryAt === null ? 'soon' : <RetryIn retryAt={part.retryAt} now={now} />;
        return (
          <li key={part.partNumber} data-tessera="part-retry">
            Part {part.partNumber}: retrying {when} ({details})
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The per-part states of an upload: a summary in words, a countdown for each part waiting to retry, and a
 * strip of cells (`data-state` = the part's status) for sighted users, hidden from screen readers, which
 * get the words.
 *
 * @example
 * ```tsx
 * <UploadParts upload={upload} maxCells={200} />
 * ```
 */
export function UploadParts({ upload, maxCells = 120, ...rest }: UploadPartsProps) {
  const parts = useUploadSelector(upload, (snapshot) => snapshot.parts, partsEqual);
  if (parts.length === 0) return null;
  const retrying = retryingParts(parts);
  return (
    <div data-tessera="parts" {...rest}>
      <span data-tessera="parts-summary">{summarizeParts(parts)}</span>
      {retrying.length > 0 ? <RetryCountdowns parts={retrying} /> : null}
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
