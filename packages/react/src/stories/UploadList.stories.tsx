import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, waitFor } from 'storybook/test';
import type { Upload } from '../index.js';
import { UploadList } from '../UploadList.js';
import {
  createSimulation,
  DEFAULT_KNOBS,
  KNOB_ARG_TYPES,
  type Knobs,
  knobsOf,
  makeFile,
  storedParts,
  until,
  withServerPolicy,
} from './simulation.js';
import { type Scene, sceneOf, SimulatedProvider } from './StoryKit.js';

/** The list keeps its uploads in state, as `useMultipartUpload` would, and removes them on request. */
function RemovableList({ initial }: { initial: readonly Upload[] }) {
  const [uploads, setUploads] = useState(initial);
  return (
    <UploadList
      uploads={uploads}
      onRemove={(upload) => setUploads((current) => current.filter((candidate) => candidate !== upload))}
      empty={<p>No files.</p>}
    />
  );
}

/**
 * Uploads in the states a page shows together: one stored, one sending, one paused, one the server refused,
 * one queued. Settled ones offer Remove; focus then moves to the item that took the removed one's place.
 */
const meta = {
  title: 'Components/UploadList',
  argTypes: KNOB_ARG_TYPES,
  args: { ...DEFAULT_KNOBS, bandwidthMBps: 1 },
  loaders: [
    async ({ args }): Promise<Scene> => {
      // Fast until the stored and paused ones are there, then the story's knobs (slow) for the one sending.
      const simulation = createSimulation({
        knobs: { ...knobsOf(args), bandwidthMBps: 40 },
        transport: (transport) => withServerPolicy(transport, { maxSize: 50e6 }),
      });
      const stored = simulation.upload(makeFile('contract-signed.pdf', 2, { type: 'application/pdf' }));
      const paused = simulation.upload(makeFile('photos-2026.zip', 16, { type: 'application/zip' }));
      const refused = simulation.upload(makeFile('raw-footage.mov', 80, { type: 'video/quicktime' }));
      await until(stored, (snapshot) => snapshot.status === 'completed');
      await until(paused, (snapshot) => storedParts(snapshot) >= 1);
      paused.pause();
      await until(refused, (snapshot) => snapshot.status === 'failed');
      simulation.setKnobs(knobsOf(args));
      const sending = simulation.upload(makeFile('holiday-video.mp4', 24, { type: 'video/mp4' }));
      const queued = simulation.upload(makeFile('notes.txt', 0.02, { type: 'text/plain' }), { autoStart: false });
      await until(sending, (snapshot) => snapshot.progress.uploadedBytes > 0);
      return { simulation, uploads: [stored, sending, paused, refused, queued] };
    },
  ],
  render: (args, { loaded }) => {
    const { simulation, uploads } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        <RemovableList initial={uploads} />
      </SimulatedProvider>
    );
  },
} satisfies Meta<Knobs>;

export default meta;
type Story = StoryObj<typeof meta>;

export const MixedStates: Story = {
  name: 'Mixed states',
  play: async ({ canvas }) => {
    const items = canvas.getAllByRole('listitem');
    await expect(items.map((item) => item.getAttribute('data-state'))).toEqual([
      'completed',
      'uploading',
      'paused',
      'failed',
      'idle',
    ]);
    await expect(canvas.getByRole('listitem', { name: 'raw-footage.mov' })).toHaveTextContent(
      'This file is larger than the server allows.',
    );
    await expect(canvas.getByRole('button', { name: 'Remove contract-signed.pdf' })).toBeVisible();
  },
};

export const RemoveMovesFocus: Story = {
  name: 'Interaction: remove moves focus to the next item',
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove contract-signed.pdf' }));
    await waitFor(() => expect(canvas.queryByRole('listitem', { name: 'contract-signed.pdf' })).toBeNull());
    await expect(canvas.getByRole('button', { name: 'Pause holiday-video.mp4' })).toHaveFocus();
  },
};
