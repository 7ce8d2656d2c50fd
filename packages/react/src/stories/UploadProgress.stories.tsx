import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { UploadProgress } from '../UploadProgress.js';
import {
  createSimulation,
  DEFAULT_KNOBS,
  GrowingFile,
  KNOB_ARG_TYPES,
  type Knobs,
  knobsOf,
  makeFile,
  storedParts,
  until,
} from './simulation.js';
import { type Scene, sceneOf, SimulatedProvider } from './StoryKit.js';

/**
 * `role="progressbar"` for one upload or the total of several: whole percent as `aria-valuenow`, the readout
 * (status, bytes, rate, time left) as `aria-valuetext`, and an indeterminate bar while a recording's size
 * is unknown.
 */
const meta = {
  title: 'Components/UploadProgress',
  argTypes: KNOB_ARG_TYPES,
  args: DEFAULT_KNOBS,
  render: (args, { loaded }) => {
    const { simulation, uploads } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        <div style={{ display: 'grid', gap: 16 }}>
          {uploads.length === 1 && uploads[0] ? (
            <UploadProgress upload={uploads[0]} />
          ) : (
            <UploadProgress uploads={uploads} />
          )}
        </div>
      </SimulatedProvider>
    );
  },
} satisfies Meta<Knobs>;

export default meta;
type Story = StoryObj<typeof meta>;

export const SingleUpload: Story = {
  name: 'One upload (uploading)',
  args: { bandwidthMBps: 2 },
  loaders: [
    async ({ args }): Promise<Scene> => {
      const simulation = createSimulation({ knobs: knobsOf(args) });
      const upload = simulation.upload(makeFile('lecture-recording.mp4', 30, { type: 'video/mp4' }));
      await until(upload, (snapshot) => snapshot.progress.uploadedBytes > 1e6);
      return { simulation, uploads: [upload] };
    },
  ],
  play: async ({ canvas }) => {
    const bar = canvas.getByRole('progressbar', { name: 'lecture-recording.mp4 progress' });
    await expect(bar).toHaveAttribute('aria-valuemin', '0');
    await expect(bar).toHaveAttribute('aria-valuemax', '100');
    await waitFor(() => expect(bar.getAttribute('aria-valuetext')).toMatch(/^\d+% · [\d.]+ [kM]?B of 30 MB · [\d.]+ [kM]?B\/s/));
    await expect(Number(bar.getAttribute('aria-valuenow'))).toBeLessThan(100);
  },
};

export const TotalOfSeveral: Story = {
  name: 'Total of several uploads',
  loaders: [
    async ({ args }): Promise<Scene> => {
      // Fast enough to get one stored and one paused, then the story's knobs (slow) for the one still sending.
      const simulation = createSimulation({ knobs: knobsOf(args) });
      const done = simulation.upload(makeFile('slides.pdf', 6, { type: 'application/pdf' }));
      const paused = simulation.upload(makeFile('photos.zip', 12, { type: 'application/zip' }));
      await until(done, (snapshot) => snapshot.status === 'completed');
      await until(paused, (snapshot) => storedParts(snapshot) >= 1);
      paused.pause();
      simulation.setKnobs({ ...knobsOf(args), bandwidthMBps: 1 });
      const sending = simulation.upload(makeFile('interview.mov', 18, { type: 'video/quicktime' }));
      await until(sending, (snapshot) => snapshot.progress.uploadedBytes > 0);
      return { simulation, uploads: [done, paused, sending] };
    },
  ],
  play: async ({ canvas }) => {
    const bar = canvas.getByRole('progressbar', { name: 'Total progress' });
    await expect(bar.getAttribute('aria-valuetext')).toMatch(/ of 36 MB/);
    await expect(bar).toHaveAttribute('data-state', 'uploading');
  },
};

export const SizeUnknown: Story = {
  name: 'Size unknown (recording: indeterminate)',
  loaders: [
    async ({ args }): Promise<Scene> => {
      const simulation = createSimulation({ knobs: knobsOf(args) });
      const recording = new GrowingFile('screen-recording.webm');
      recording.push(6);
      const upload = simulation.upload(recording);
      await until(upload, (snapshot) => storedParts(snapshot) >= 1);
      return { simulation, uploads: [upload] };
    },
  ],
  play: async ({ canvas }) => {
    const bar = canvas.getByRole('progressbar', { name: 'screen-recording.webm progress' });
    await expect(bar).not.toHaveAttribute('aria-valuenow');
    await expect(bar).toHaveAttribute('data-indeterminate', 'true');
    await expect(bar.getAttribute('aria-valuetext')).toMatch(/^5.24 MB uploaded/);
  },
};

export const CustomReadout: Story = {
  name: 'Custom readout (render prop)',
  args: { bandwidthMBps: 2 },
  loaders: SingleUpload.loaders,
  render: (args, { loaded }) => {
    const { simulation, uploads } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        {uploads.map((upload) => (
          <UploadProgress key={upload.id} upload={upload} label="Lecture upload">
            {(view) => (
              <>
                <strong style={{ fontSize: '2rem', fontVariantNumeric: 'tabular-nums' }}>{view.percent ?? 0}%</strong>
                <span data-tessera="progress-track" aria-hidden="true">
                  <span data-tessera="progress-fill" />
                </span>
                <span data-tessera="progress-text">{view.text}</span>
              </>
            )}
          </UploadProgress>
        ))}
      </SimulatedProvider>
    );
  },
  play: async ({ canvas }) => {
    const bar = canvas.getByRole('progressbar', { name: 'Lecture upload' });
    await expect(bar.querySelector('strong')?.textContent).toMatch(/^\d+%$/);
  },
};
