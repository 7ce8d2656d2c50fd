import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import type { PartStatus } from '../index.js';
import { UploadParts } from '../UploadParts.js';
import {
  createSimulation,
  DEFAULT_KNOBS,
  hashingStalls,
  KNOB_ARG_TYPES,
  type Knobs,
  knobsOf,
  makeFile,
  scriptedUploader,
  SLOW_DOWN,
  storedParts,
  until,
} from './simulation.js';
import { type Scene, sceneOf, SimulatedProvider } from './StoryKit.js';

const STATES: readonly PartStatus[] = ['done', 'retrying', 'uploading', 'ready', 'signing', 'hashing', 'queued'];

type Args = Knobs & { maxCells: number };

const WORDS: Record<PartStatus, string> = {
  done: 'stored',
  retrying: 'retrying',
  uploading: 'sending',
  ready: 'signed, waiting for a slot',
  signing: 'hashed, waiting for a signature',
  hashing: 'being hashed',
  queued: 'queued',
};

/** What the cells' colours mean (the story's, for readers; the component's own words are its summary). */
function Legend() {
  return (
    <ul style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', margin: 0, padding: 0, listStyle: 'none' }}>
      {STATES.map((state) => (
        <li key={state} style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: '0.8125rem' }}>
          <ol data-tessera="parts-strip" aria-hidden="true">
            <li data-state={state} />
          </ol>
          {WORDS[state]}
        </li>
      ))}
    </ul>
  );
}

/**
 * The parts of one upload, frozen with a part in every state: parts 1 and 2 stored, part 3 refused with 503
 * (retrying, with its countdown), part 4 sending and never answered, then parts signed and waiting for a
 * slot, hashed and waiting for a signature, one being hashed (the hasher stalls), and the rest queued.
 */
const meta = {
  title: 'Components/UploadParts',
  argTypes: { ...KNOB_ARG_TYPES, maxCells: { control: { type: 'number', min: 1, max: 120 } } },
  args: { ...DEFAULT_KNOBS, maxCells: 120 },
  loaders: [
    async ({ args }): Promise<Scene> => {
      const simulation = createSimulation({
        knobs: knobsOf(args),
        uploader: (uploader) =>
          scriptedUploader(uploader, (partNumber) => (partNumber <= 2 ? 'pass' : partNumber === 3 ? SLOW_DOWN : 'hold')),
        hasher: (hasher) => hashingStalls(hasher, 10),
        options: { concurrency: 2, retry: { baseMs: 30_000, capMs: 30_000, maxAttempts: 50 }, random: () => 0.95 },
      });
      const upload = simulation.upload(makeFile('site-backup.tar', 60, { type: 'application/x-tar' }));
      await until(
        upload,
        (snapshot) =>
          storedParts(snapshot) === 2 && STATES.every((state) => snapshot.parts.some((part) => part.status === state)),
      );
      return { simulation, uploads: [upload] };
    },
  ],
  render: (args, { loaded }) => {
    const { simulation, uploads } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        {uploads.map((upload) => (
          <div key={upload.id} style={{ display: 'grid', gap: 8 }}>
            <UploadParts upload={upload} maxCells={args.maxCells} />
            <Legend />
          </div>
        ))}
      </SimulatedProvider>
    );
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const EveryPartState: Story = {
  name: 'Every part state',
  play: async ({ canvas, canvasElement }) => {
    await expect(
      canvas.getByText('2 of 12 parts stored · 1 sending · 1 retrying (http 503) · 8 waiting'),
    ).toBeVisible();
    // The retrying part counts down to its next attempt (about 28 s away), in words.
    const retry = canvasElement.querySelector('[data-tessera="part-retry"]');
    await expect(retry).toHaveTextContent(/^Part 3: retrying in 2\d s \(attempt 2, http 503\)$/);
    const cells = canvasElement.querySelectorAll('[data-tessera="parts"] [data-tessera="parts-strip"] > li');
    await expect(cells).toHaveLength(12);
    const states = new Set([...cells].map((cell) => cell.getAttribute('data-state')));
    await expect([...states].sort()).toEqual([...STATES].sort());
    // The strip is for the eyes; screen readers get the sentence.
    await expect(canvasElement.querySelector('[data-tessera="parts"] [data-tessera="parts-strip"]')).toHaveAttribute(
      'aria-hidden',
      'true',
    );
  },
};

export const SummaryOnly: Story = {
  name: 'More parts than cells (summary only)',
  args: { maxCells: 8 },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText(/^2 of 12 parts stored/)).toBeVisible();
    await expect(canvasElement.querySelector('[data-tessera="parts"] [data-tessera="parts-strip"]')).toBeNull();
  },
};
