import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, type within } from 'storybook/test';
import type { Upload, UploadSnapshot } from '../index.js';
import {
  ACCESS_DENIED,
  createSimulation,
  DEFAULT_KNOBS,
  earlierVisit,
  ETAG_HIDDEN,
  KNOB_ARG_TYPES,
  type Knobs,
  knobsOf,
  makeFile,
  type PartAnswer,
  scriptedUploader,
  SLOW_DOWN,
  type SimulationSetup,
  storedParts,
  until,
  withServerPolicy,
  withSlowCompletion,
} from './simulation.js';
import { Items, type Scene, sceneOf, SimulatedProvider } from './StoryKit.js';

/**
 * One upload in each state it can be in, reached by driving the simulated backend: a latency of ten minutes
 * keeps it creating, the offline knob takes the network away, a part the store keeps answering 503 retries
 * (the item counts down to its next attempt), a server policy refuses a file (no Retry: it would only be
 * refused again). The knobs stay live: turn `offline` off in the Offline story and the upload carries on.
 */
const meta = {
  title: 'Components/UploadItem',
  argTypes: KNOB_ARG_TYPES,
  args: { ...DEFAULT_KNOBS, bandwidthMBps: 60 },
  render: (args, { loaded }) => {
    const { simulation, uploads } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        <Items uploads={uploads} />
      </SimulatedProvider>
    );
  },
} satisfies Meta<Knobs>;

export default meta;
type Story = StoryObj<typeof meta>;

const video = () => makeFile('holiday-video.mp4', 24, { type: 'video/mp4' });

/** A loader: a simulation of `setup`, one upload of `file`, driven by `drive` to the story's state. */
function scene(
  file: () => File,
  drive: (upload: Upload, scene: Scene) => Promise<unknown>,
  setup: Omit<SimulationSetup, 'knobs'> & { autoStart?: boolean } = {},
) {
  return async ({ args }: { args: Knobs }): Promise<Scene> => {
    const { autoStart = true, ...rest } = setup;
    const simulation = createSimulation({ knobs: knobsOf(args), ...rest });
    const upload = simulation.upload(file(), { autoStart });
    const made = { simulation, uploads: [upload] };
    await drive(upload, made);
    return made;
  };
}

const reached = (status: UploadSnapshot['status']) => (upload: Upload) =>
  until(upload, (snapshot) => snapshot.status === status);

/** A store that answers every attempt of `partNumber` with `answer` (the first `times` attempts, if given). */
const failing = (partNumber: number, answer: PartAnswer, times = Infinity): SimulationSetup['uploader'] =>
  (uploader) =>
    scriptedUploader(uploader, (part, attempt) => (part === partNumber && attempt < times ? answer : 'pass'));

export const Idle: Story = {
  name: 'Idle (queued)',
  loaders: [scene(video, async () => undefined, { autoStart: false })],
  play: async ({ canvas, userEvent }) => {
    await expect(canvas.getByText('Queued')).toBeVisible();
    await userEvent.tab();
    await expect(canvas.getByRole('button', { name: 'Start holiday-video.mp4' })).toHaveFocus();
    await expect(canvas.getByRole('progressbar', { name: 'holiday-video.mp4 progress' })).toHaveAttribute(
      'aria-valuenow',
      '0',
    );
  },
};

export const Creating: Story = {
  name: 'Creating (server slow to answer)',
  args: { latencyMs: 600_000 },
  loaders: [scene(video, reached('preparing'))],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Preparing')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Cancel holiday-video.mp4' })).toBeEnabled();
  },
};

export const Uploading: Story = {
  args: { bandwidthMBps: 1.5 },
  loaders: [scene(video, (upload) => until(upload, (snapshot) => snapshot.progress.uploadedBytes > 500_000))],
  play: async ({ canvas }) => {
    const progress = canvas.getByRole('progressbar', { name: 'holiday-video.mp4 progress' });
    await waitFor(() => expect(progress.getAttribute('aria-valuetext')).toMatch(/ [kM]?B\/s/));
    await expect(canvas.getByText('Uploading')).toBeVisible();
    await expect(canvas.getByText(/of 5 parts stored · \d sending/)).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Pause holiday-video.mp4' })).toBeVisible();
  },
};

export const Paused: Story = {
  loaders: [
    scene(video, async (upload) => {
      await until(upload, (snapshot) => storedParts(snapshot) >= 2);
      upload.pause();
      await reached('paused')(upload);
    }),
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Paused')).toBeVisible();
    const progress = canvas.getByRole('progressbar', { name: 'holiday-video.mp4 progress' });
    await expect(progress.getAttribute('aria-valuetext')).toMatch(/^Paused · \d+%/);
    await expect(canvas.getByRole('button', { name: 'Resume holiday-video.mp4' })).toBeVisible();
  },
};

export const Offline: Story = {
  name: 'Offline (waiting for the network)',
  args: { offline: true },
  loaders: [
    async ({ args }) => {
      // Online to start (creating an upload offline fails), then the knobs of the story: offline.
      const simulation = createSimulation({ knobs: { ...knobsOf(args), offline: false } });
      const upload = simulation.upload(video());
      await until(upload, (snapshot) => storedParts(snapshot) >= 1);
      simulation.setKnobs(knobsOf(args));
      await reached('offline')(upload);
      return { simulation, uploads: [upload] } satisfies Scene;
    },
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Waiting for the network')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Pause holiday-video.mp4' })).toBeVisible();
  },
};

export const Retrying: Story = {
  name: 'Retrying (with countdown)',
  loaders: [
    scene(video, (upload) => until(upload, (snapshot) => snapshot.parts.some((part) => part.status === 'retrying')), {
      // The store answers part 2 with 503 SlowDown; the next attempt waits about 19 s.
      uploader: failing(2, SLOW_DOWN),
      options: { retry: { baseMs: 20_000, capMs: 20_000, maxAttempts: 50 }, random: () => 0.95 },
    }),
  ],
  play: async ({ canvas, canvasElement }) => {
    const shown = (name: string) => {
      const element = canvasElement.querySelector(`[data-tessera="${name}"]`);
      if (!element) throw new Error(`no ${name}`);
      return element;
    };
    // Beside the status, and for the part: the component's own countdown to the next attempt.
    const note = await waitFor(() => shown('upload-retry'));
    await expect(note).toHaveTextContent(/^Retrying in 1\d s$/);
    await expect(shown('part-retry')).toHaveTextContent(/^Part 2: retrying in 1\d s \(attempt 2, http 503\)$/);
    await expect(canvas.getByText(/1 retrying \(http 503\)/)).toBeVisible();
    await expect(canvas.getByText('Uploading')).toBeVisible();
    // It counts down, once a second.
    const seconds = () => Number(/in (\d+) s/.exec(note.textContent ?? '')?.[1]);
    const before = seconds();
    await waitFor(() => expect(seconds()).toBe(before - 1), { timeout: 2_000 });
    // No time left while a part waits out its backoff: the readout says why instead.
    const progress = canvas.getByRole('progressbar', { name: 'holiday-video.mp4 progress' });
    await expect(progress.getAttribute('aria-valuetext')).toMatch(/ · waiting to retry$/);
    await expect(progress.getAttribute('aria-valuetext')).not.toMatch(/ left/);
    // Ticking text is not a live region: nothing is announced every second.
    await expect(canvasElement.querySelector('[aria-live]')).toBeNull();
  },
};

export const Completing: Story = {
  name: 'Completing (store assembling the parts)',
  loaders: [scene(video, reached('completing'), { transport: withSlowCompletion })],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Finishing')).toBeVisible();
    await expect(canvas.getByRole('progressbar', { name: 'holiday-video.mp4 progress' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
  },
};

export const Completed: Story = {
  loaders: [scene(video, reached('completed'))],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Uploaded')).toBeVisible();
    await expect(await canvas.findByText(/^simulated\/sim-1/)).toBeVisible();
    await expect(canvas.queryByRole('button')).toBeNull();
  },
};

export const Aborted: Story = {
  name: 'Aborted (cancelled)',
  loaders: [
    scene(video, async (upload) => {
      await until(upload, (snapshot) => storedParts(snapshot) >= 1);
      upload.abort();
      await reached('aborted')(upload);
    }),
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Cancelled')).toBeVisible();
  },
};

/**
 * The alert of a failed item, checked for its code and words, and its buttons: Retry and Cancel when
 * retrying can cure the failure, only Cancel (no `onRemove` here) when it would fail again.
 */
async function expectFailure(canvas: ReturnType<typeof within>, code: string, words: RegExp, retryable: boolean) {
  const alert = await canvas.findByRole('alert');
  await expect(alert).toHaveAttribute('data-code', code);
  await expect(alert).toHaveTextContent(words);
  await expect(canvas.getByText('Failed')).toBeVisible();
  const buttons = canvas.getAllByRole('button').map((button: HTMLElement) => button.textContent);
  await expect(buttons).toEqual(retryable ? ['Retry', 'Cancel'] : ['Cancel']);
}

export const FailedFileTooLarge: Story = {
  name: 'Failed: file-too-large (server policy)',
  loaders: [
    scene(video, reached('failed'), { transport: (transport) => withServerPolicy(transport, { maxSize: 20e6 }) }),
  ],
  play: ({ canvas }) => expectFailure(canvas, 'file-too-large', /larger than the server allows/, false),
};

export const FailedTypeNotAllowed: Story = {
  name: 'Failed: type-not-allowed (server policy)',
  loaders: [
    scene(() => makeFile('setup.exe', 3, { type: 'application/x-msdownload' }), reached('failed'), {
      transport: (transport) => withServerPolicy(transport, { types: ['image/*', 'video/*'] }),
    }),
  ],
  play: ({ canvas }) => expectFailure(canvas, 'type-not-allowed', /does not accept this type of file/, false),
};

export const FailedNetwork: Story = {
  name: 'Failed: network-error (offline from the start)',
  args: { offline: true },
  loaders: [scene(video, reached('failed'))],
  play: ({ canvas }) => expectFailure(canvas, 'network-error', /could not be reached/, true),
};

export const FailedFingerprintMismatch: Story = {
  name: 'Failed: fingerprint-mismatch (another file picked to resume)',
  loaders: [
    async ({ args }) => {
      const first = createSimulation({ knobs: knobsOf(args) });
      const checkpoint = await earlierVisit(first.backend, first.checkpoints, video(), 1);
      const simulation = createSimulation({ knobs: knobsOf(args), backend: first.backend, checkpoints: first.checkpoints });
      // Same name and size, other bytes.
      const upload = simulation.resume(checkpoint, makeFile('holiday-video.mp4', 24, { type: 'video/mp4', seed: 2 }));
      await reached('failed')(upload);
      return { simulation, uploads: [upload] } satisfies Scene;
    },
  ],
  play: ({ canvas }) => expectFailure(canvas, 'fingerprint-mismatch', /not the file the upload started with/, false),
};

export const FailedUploadGone: Story = {
  name: 'Failed: upload-not-found (aborted on the server since)',
  loaders: [
    async ({ args }) => {
      const first = createSimulation({ knobs: knobsOf(args) });
      const checkpoint = await earlierVisit(first.backend, first.checkpoints, video(), 1);
      await first.backend.transport.abort(checkpoint);
      const simulation = createSimulation({ knobs: knobsOf(args), backend: first.backend, checkpoints: first.checkpoints });
      const upload = simulation.resume(checkpoint, video());
      await reached('failed')(upload);
      return { simulation, uploads: [upload] } satisfies Scene;
    },
  ],
  play: ({ canvas }) => expectFailure(canvas, 'upload-not-found', /no longer has this upload/, false),
};

export const FailedRetriesExhausted: Story = {
  name: 'Failed: retries-exhausted',
  loaders: [
    scene(video, reached('failed'), {
      uploader: failing(2, SLOW_DOWN),
      options: { retry: { baseMs: 20, capMs: 40, maxAttempts: 3 } },
    }),
  ],
  play: ({ canvas }) => expectFailure(canvas, 'retries-exhausted', /kept failing/, true),
};

export const FailedEtagNotExposed: Story = {
  name: 'Failed: etag-not-exposed (bucket CORS)',
  loaders: [scene(video, reached('failed'), { uploader: failing(1, ETAG_HIDDEN) })],
  play: ({ canvas }) => expectFailure(canvas, 'etag-not-exposed', /ExposeHeaders/, false),
};

export const FailedPartRejected: Story = {
  name: 'Failed: part-rejected (403 from the store)',
  loaders: [scene(video, reached('failed'), { uploader: failing(1, ACCESS_DENIED) })],
  play: ({ canvas }) => expectFailure(canvas, 'part-rejected', /Part 1 was rejected: HTTP 403 AccessDenied/, false),
};

export const PauseAndResume: Story = {
  name: 'Interaction: pause and resume keep focus',
  args: { bandwidthMBps: 4 },
  loaders: [scene(video, reached('uploading'))],
  play: async ({ canvas, userEvent }) => {
    const pause = await canvas.findByRole('button', { name: 'Pause holiday-video.mp4' });
    await userEvent.click(pause);
    await expect(await canvas.findByText('Paused')).toBeVisible();
    // One button: Pause became Resume, and focus stayed on it.
    const resume = canvas.getByRole('button', { name: 'Resume holiday-video.mp4' });
    await expect(resume).toBe(pause);
    await expect(resume).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(await canvas.findByText('Uploading')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Pause holiday-video.mp4' })).toHaveFocus();
  },
};

export const RetryAfterFailure: Story = {
  name: 'Interaction: retry continues from the store',
  loaders: [
    scene(video, reached('failed'), {
      // Part 2 fails three times in a row (all the attempts allowed), then the store takes it.
      uploader: failing(2, SLOW_DOWN, 3),
      options: { retry: { baseMs: 20, capMs: 40, maxAttempts: 3 } },
    }),
  ],
  play: async ({ canvas, userEvent }) => {
    await expectFailure(canvas, 'retries-exhausted', /kept failing/, true);
    await userEvent.click(canvas.getByRole('button', { name: 'Retry holiday-video.mp4' }));
    await expect(await canvas.findByText('Uploaded', {}, { timeout: 10_000 })).toBeVisible();
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

export const CancelWhileUploading: Story = {
  name: 'Interaction: cancel',
  args: { bandwidthMBps: 4 },
  loaders: [scene(video, reached('uploading'))],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Cancel holiday-video.mp4' }));
    await expect(await canvas.findByText('Cancelled')).toBeVisible();
    await expect(canvas.queryByRole('button', { name: /Pause/ })).toBeNull();
  },
};
