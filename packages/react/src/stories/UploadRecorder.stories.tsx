import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { fromMediaRecorder, type UploadResult } from '../index.js';
import { UploadRecorder } from '../UploadRecorder.js';
import { canvasRecordingMedia, type CanvasRecordingMediaOptions } from './fakeMedia.js';
import { createSimulation, DEFAULT_KNOBS, KNOB_ARG_TYPES, type Knobs, knobsOf } from './simulation.js';
import { type Scene, sceneOf, SimulatedProvider } from './StoryKit.js';

type Args = Knobs & { onComplete: (result: UploadResult) => void };

/** The recording is kept in memory here (the default is OPFS or IndexedDB, to survive a crash). */
const inMemory = (recorder: MediaRecorder) => fromMediaRecorder(recorder, { storage: 'memory' });

/**
 * Record and upload while recording. The capture is a canvas the page animates, recorded by the browser's
 * real MediaRecorder (no camera, screen or permission prompt); the upload goes to the simulated backend.
 * Stop, and the last part is sent and the upload completes.
 */
const meta = {
  title: 'Components/UploadRecorder',
  argTypes: { ...KNOB_ARG_TYPES, onComplete: { control: false } },
  args: { ...DEFAULT_KNOBS, onComplete: fn() },
  loaders: [async ({ args }): Promise<Scene> => ({ simulation: createSimulation({ knobs: knobsOf(args) }), uploads: [] })],
  render: (args, { loaded, parameters }) => {
    const { simulation } = sceneOf(loaded);
    const media = canvasRecordingMedia((parameters as { media?: CanvasRecordingMediaOptions }).media);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        <UploadRecorder
          kinds={['screen', 'camera']}
          media={media}
          createSource={inMemory}
          timesliceMs={250}
          onComplete={args.onComplete}
        />
      </SimulatedProvider>
    );
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Ready: Story = {
  play: async ({ canvas }) => {
    const controls = canvas.getByRole('group', { name: 'Record' });
    await expect(controls).toHaveTextContent('Record screenRecord camera');
    await expect(canvas.getByRole('alert')).toBeEmptyDOMElement();
  },
};

export const Recording: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Record screen' }));
    const stop = await canvas.findByRole('button', { name: 'Stop recording' });
    await expect(stop).toHaveFocus();
    await waitFor(() => expect(canvas.getByText(/ recorded$/)).not.toHaveTextContent(/^0 B/), { timeout: 5_000 });
    const bar = canvas.getByRole('progressbar', { name: 'Recording upload' });
    // Size unknown while recording: an indeterminate bar.
    await expect(bar).not.toHaveAttribute('aria-valuenow');
    await expect(canvas.getByText(/^Recording/)).toBeVisible();
  },
};

export const RecordedAndUploaded: Story = {
  name: 'Stopped: recorded and uploaded',
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Record camera' }));
    const stop = await canvas.findByRole('button', { name: 'Stop recording' });
    await waitFor(() => expect(canvas.getByText(/ recorded$/)).not.toHaveTextContent(/^0 B/), { timeout: 5_000 });
    await userEvent.click(stop);
    await waitFor(() => expect(canvas.getByText('Uploaded')).toBeVisible(), { timeout: 10_000 });
    await expect(args.onComplete).toHaveBeenCalledWith(expect.objectContaining({ partCount: 1 }));
    await expect(canvas.getByRole('progressbar', { name: 'Recording upload' })).toHaveAttribute('aria-valuenow', '100');
    // Focus went back to the controls, ready for the next recording.
    await expect(canvas.getByRole('button', { name: 'Record screen' })).toHaveFocus();
  },
};

export const PermissionDenied: Story = {
  name: 'Permission denied',
  parameters: { media: { refuse: 'NotAllowedError' } },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Record camera' }));
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveAttribute('data-code', 'permission-denied'));
    await expect(alert).toHaveTextContent('Permission to record the camera was denied.');
  },
};

export const NoDevice: Story = {
  name: 'No device',
  parameters: { media: { refuse: 'NotFoundError' } },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Record camera' }));
    await waitFor(() => expect(canvas.getByRole('alert')).toHaveTextContent('No device was found to record the camera.'));
  },
};

export const Unsupported: Story = {
  name: 'Browser cannot record',
  parameters: { media: { unsupported: true } },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Record screen' }));
    await waitFor(() => expect(canvas.getByRole('alert')).toHaveAttribute('data-code', 'unsupported'));
    await expect(canvas.getByRole('alert')).toHaveTextContent('This browser cannot record the screen.');
  },
};
