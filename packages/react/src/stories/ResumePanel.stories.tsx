import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { type Checkpoint, TesseraError } from '../index.js';
import { ResumePanel } from '../ResumePanel.js';
import type { ResumableItem } from '../useMultipartUpload.js';
import { createSimulation, DEFAULT_KNOBS, earlierVisit, makeFile, pickFiles } from './simulation.js';

interface Args {
  onResume: (checkpoint: Checkpoint, file: File) => void;
  onDiscard: (checkpoint: Checkpoint) => void;
}

const file = () => makeFile('thesis-defense.mp4', 18, { type: 'video/mp4' });

/** The panel's item for the checkpoint an earlier (interrupted) visit left, as the next visit lists it. */
async function unfinished(change: Partial<ResumableItem> = {}): Promise<{ items: ResumableItem[] }> {
  const { backend, checkpoints } = createSimulation({ knobs: DEFAULT_KNOBS });
  const checkpoint = await earlierVisit(backend, checkpoints, file(), 2);
  const storedBytes = checkpoint.parts.reduce((sum, part) => sum + part.size, 0);
  const item = { checkpoint, storedBytes, storedParts: checkpoint.parts.length, unverified: null, mismatch: null };
  return { items: [{ ...item, ...change }] };
}

/**
 * Uploads left unfinished by an earlier visit: the page cannot read a file again by itself, so each asks
 * for it; a different file is refused (`fingerprint-mismatch`) and the item stays to try again. Here on its
 * own, with the checkpoint a real interrupted upload left (checked with `parseCheckpoint`); see
 * ResumableUpload for the whole flow.
 */
const meta = {
  title: 'Components/ResumePanel',
  args: { onResume: fn(), onDiscard: fn() },
  argTypes: { onResume: { control: false }, onDiscard: { control: false } },
  render: (args, { loaded }) => <ResumePanel items={(loaded as { items: ResumableItem[] }).items} {...args} />,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const ResumableAfterReload: Story = {
  name: 'Resumable after reload',
  loaders: [() => unfinished()],
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    await expect(canvas.getByRole('heading', { name: 'Unfinished uploads' })).toBeVisible();
    await expect(canvas.getByText(/^58% uploaded \(10.5 MB of 18 MB\), started/)).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Choose file to resume thesis-defense.mp4' }));
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]');
    if (input) pickFiles(input, [file()]);
    await expect(args.onResume).toHaveBeenCalledWith(
      expect.objectContaining({ fileName: 'thesis-defense.mp4' }),
      expect.objectContaining({ name: 'thesis-defense.mp4', size: 18e6 }),
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Discard thesis-defense.mp4' }));
    await expect(args.onDiscard).toHaveBeenCalledOnce();
  },
};

export const WrongFilePicked: Story = {
  name: 'Another file picked (fingerprint-mismatch)',
  loaders: [
    () =>
      unfinished({
        mismatch: new TesseraError('fingerprint-mismatch', 'this is not the file the upload started with (content differs)'),
      }),
  ],
  play: async ({ canvas }) => {
    const alert = canvas.getByRole('alert');
    await expect(alert).toHaveAttribute('data-code', 'fingerprint-mismatch');
    await expect(alert).toHaveTextContent(
      'This is not the file the upload started with. Choose the same file again. Expected thesis-defense.mp4 (18 MB).',
    );
    // Focus is back where the user can try again, and the button is described by the refusal.
    const pick = canvas.getByRole('button', { name: 'Choose file to resume thesis-defense.mp4' });
    await expect(pick).toHaveFocus();
    await expect(pick).toHaveAccessibleDescription(/This is not the file/);
  },
};

export const NotChecked: Story = {
  name: 'Not checked with the server (offline)',
  loaders: [
    () =>
      unfinished({
        unverified: new TesseraError('network-error', 'offline (simulated)', { retryable: true }),
      }),
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByText(/Not checked with the server: The server could not be reached/)).toBeVisible();
  },
};
