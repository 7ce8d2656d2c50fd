/**
 * React pieces the stories share: the provider over a simulation (its knobs follow the story's args), a
 * retry countdown read from `PartSnapshot.retryAt`, a button that feeds a generated file to a file input,
 * and capture without devices for the recorder.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { PartSnapshot, Upload } from '../index.js';
import { partsEqual } from '../snapshotEqual.js';
import { TesseraProvider } from '../TesseraProvider.js';
import { UploadItem, type UploadItemProps } from '../UploadItem.js';
import { UploadProgress } from '../UploadProgress.js';
import { useFinalCleanup } from '../useFinalCleanup.js';
import { useUploadSelector } from '../useUploadSelector.js';
import { ENDPOINT, type Knobs, pickFiles, type Simulation } from './simulation.js';

/** What a story's loader hands to its render and play functions. */
export interface Scene {
  simulation: Simulation;
  uploads: Upload[];
}

/** The scene a loader made, typed (Storybook types `loaded` loosely). */
export const sceneOf = (loaded: Record<string, unknown>) => loaded as unknown as Scene;

interface SimulatedProviderProps {
  simulation: Simulation;
  knobs: Knobs;
  children?: ReactNode;
}

/** A `TesseraProvider` over the simulation; a changed knob (a Storybook control) reaches the backend at once. */
export function SimulatedProvider({ simulation, knobs, children }: SimulatedProviderProps) {
  useEffect(() => simulation.setKnobs(knobs));
  // The story is gone: stop what it started, so the next story has the page to itself.
  useFinalCleanup(() => simulation.stop());
  return (
    <TesseraProvider endpoint={ENDPOINT} options={simulation.options}>
      {children}
    </TesseraProvider>
  );
}

/** Re-render every `intervalMs` while `active`; returns the time now. */
function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}

const retryingOf = (parts: readonly PartSnapshot[]) => parts.filter((part) => part.status === 'retrying');

/**
 * When each retrying part tries again (`PartSnapshot.retryAt`), counted down: 'Part 2 retries in 14 s
 * (attempt 3, http 503)'. None of the package's components shows this yet; a story slot does.
 */
export function RetryCountdown({ upload }: { upload: Upload }) {
  const retrying = useUploadSelector(upload, (snapshot) => retryingOf(snapshot.parts), partsEqual);
  const now = useNow(retrying.length > 0);
  if (retrying.length === 0) return null;
  return (
    <ul data-story="retry-countdown" style={countdownStyle}>
      {retrying.map((part) => {
        const seconds = Math.max(0, Math.ceil(((part.retryAt ?? now) - now) / 1000));
        return (
          <li key={part.partNumber}>
            Part {part.partNumber} retries in <time>{seconds} s</time> (attempt {part.attempt + 1}
            {part.reason ? `, ${part.reason}` : ''})
          </li>
        );
      })}
    </ul>
  );
}

const countdownStyle = {
  margin: 0,
  padding: '6px 12px',
  listStyle: 'none',
  borderLeft: '4px solid var(--tessera-warning)',
  borderRadius: 'var(--tessera-radius-small)',
  background: 'var(--tessera-surface)',
  fontSize: '0.8125rem',
} as const;

/**
 * Upload items in the list `UploadList` renders (without its focus handling); with `countdown`, each item's
 * progress slot adds the {@link RetryCountdown}.
 */
export function Items({
  uploads,
  countdown = false,
  ...itemProps
}: { uploads: readonly Upload[]; countdown?: boolean } & Omit<UploadItemProps, 'upload'>) {
  return (
    <ul data-tessera="upload-list" aria-label="Uploads">
      {uploads.map((upload) => (
        <UploadItem
          key={upload.id}
          upload={upload}
          {...(countdown && {
            renderProgress: () => (
              <>
                <UploadProgress upload={upload} />
                <RetryCountdown upload={upload} />
              </>
            ),
          })}
          {...itemProps}
        />
      ))}
    </ul>
  );
}

/**
 * A button that generates a file and hands it to the first file input of `scope` (a drop zone's), as a
 * pick would: for trying the components without a file at hand.
 */
export function GeneratedFileButton({ makeFile, children }: { makeFile: () => File; children: ReactNode }) {
  const button = useRef<HTMLButtonElement>(null);
  const add = () => {
    const scope = button.current?.closest('[data-story="scope"]');
    const input = scope?.querySelector<HTMLInputElement>('input[type="file"]:not([disabled])');
    if (input) pickFiles(input, [makeFile()]);
  };
  return (
    <button ref={button} type="button" data-story="generate" onClick={add} style={generateStyle}>
      {children}
    </button>
  );
}

const generateStyle = {
  justifySelf: 'start',
  minHeight: 36,
  padding: '0 14px',
  border: '1px dashed var(--tessera-border)',
  borderRadius: 'var(--tessera-radius-small)',
  background: 'var(--tessera-surface)',
  color: 'var(--tessera-text)',
  font: 'inherit',
  fontSize: '0.875rem',
  cursor: 'pointer',
} as const;

/** A column of story content, with the scope `GeneratedFileButton` looks in. */
export function Scope({ children }: { children?: ReactNode }) {
  return (
    <div data-story="scope" style={{ display: 'grid', gap: 16 }}>
      {children}
    </div>
  );
}

/**
 * Known accessibility bugs, reported rather than fixed here (they are in components): axe's
 * `label-content-name-mismatch` (WCAG 2.5.3 Label in Name, level A) fails on
 * - ResumePanel's “Choose file to resume” button, named “Choose <file> again to resume” by `aria-label`: the
 *   visible words are not in the name, so a speech-input user saying what they see cannot press it;
 * - DropZone's target when it shows a rules hint: the hint is inside the `role="button"` element but only
 *   describes it (`aria-describedby`), so the visible text is more than the name.
 * Only that rule is off, only in the stories that show these; every other check runs.
 */
export const LABEL_IN_NAME_KNOWN_BUGS = {
  a11y: { config: { rules: [{ id: 'label-content-name-mismatch', enabled: false }] } },
};
