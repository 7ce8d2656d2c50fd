/**
 * React pieces the stories share: the provider over a simulation (its knobs follow the story's args), a
 * list of upload items, and a button that feeds a generated file to a file input.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import type { Upload } from '../index.js';
import { TesseraProvider } from '../TesseraProvider.js';
import { UploadItem, type UploadItemProps } from '../UploadItem.js';
import { useFinalCleanup } from '../useFinalCleanup.js';
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

/** Upload items in the list `UploadList` renders (without its focus handling). */
export function Items({ uploads, ...itemProps }: { uploads: readonly Upload[] } & Omit<UploadItemProps, 'upload'>) {
  return (
    <ul data-tessera="upload-list" aria-label="Uploads">
      {uploads.map((upload) => (
        <UploadItem key={upload.id} upload={upload} {...itemProps} />
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
