import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { describeTotal, ProgressAnnouncer } from '../ProgressAnnouncer.js';
import { UploadProgress } from '../UploadProgress.js';
import { useTotalProgress } from '../useTotalProgress.js';
import type { Upload } from '../index.js';
import { createSimulation, DEFAULT_KNOBS, KNOB_ARG_TYPES, type Knobs, knobsOf, makeFile } from './simulation.js';
import { type Scene, sceneOf, SimulatedProvider } from './StoryKit.js';

type Args = Knobs & { intervalMs: number };

/** What the announcer says now, shown for sighted readers of the story (the region itself is hidden). */
function Transcript({ uploads }: { uploads: readonly Upload[] }) {
  const sentence = describeTotal(useTotalProgress(uploads));
  return (
    <p style={{ margin: 0, color: 'var(--tessera-muted)', fontSize: '0.875rem' }}>
      Screen readers hear, at most every few seconds: <q>{sentence}</q>
    </p>
  );
}

/**
 * A visually hidden polite live region: how the uploads are going, in steps of 5%, at most once per
 * `intervalMs`.
 */
const meta = {
  title: 'Components/ProgressAnnouncer',
  argTypes: { ...KNOB_ARG_TYPES, intervalMs: { control: { type: 'number', min: 500, step: 500 } } },
  args: { ...DEFAULT_KNOBS, bandwidthMBps: 12, intervalMs: 1_000 },
  loaders: [
    async ({ args }): Promise<Scene> => {
      const simulation = createSimulation({ knobs: knobsOf(args) });
      const uploads = [
        simulation.upload(makeFile('chapter-1.docx', 6)),
        simulation.upload(makeFile('chapter-2.docx', 9)),
      ];
      return { simulation, uploads };
    },
  ],
  render: (args, { loaded }) => {
    const { simulation, uploads } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        <div style={{ display: 'grid', gap: 12 }}>
          <UploadProgress uploads={uploads} />
          <Transcript uploads={uploads} />
          <ProgressAnnouncer uploads={uploads} intervalMs={args.intervalMs} />
        </div>
      </SimulatedProvider>
    );
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Announces: Story = {
  play: async ({ canvas }) => {
    const region = canvas.getByRole('status');
    await expect(region).toHaveAttribute('aria-live', 'polite');
    await waitFor(() => expect(region).toHaveTextContent(/of 2 files uploaded\. \d+% of 15 MB sent\./));
    await waitFor(() => expect(region).toHaveTextContent('2 of 2 files uploaded.'), { timeout: 10_000 });
  },
};
