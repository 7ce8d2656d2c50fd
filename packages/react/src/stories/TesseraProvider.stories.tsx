import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { fromMediaRecorder } from '../index.js';
import { ResumableUpload } from '../ResumableUpload.js';
import { UploadRecorder } from '../UploadRecorder.js';
import { useTessera } from '../useTessera.js';
import { canvasRecordingMedia } from './fakeMedia.js';
import { createSimulation, DEFAULT_KNOBS, KNOB_ARG_TYPES, type Knobs, knobsOf, makeFile } from './simulation.js';
import { GeneratedFileButton, type Scene, sceneOf, Scope, SimulatedProvider } from './StoryKit.js';

/** What the provider shares, as any component below it reads it. */
function SharedDefaults() {
  const { endpoint, options } = useTessera();
  return (
    <p style={{ margin: 0, color: 'var(--tessera-muted)', fontSize: '0.875rem' }}>
      Endpoint <code>{endpoint}</code>, {options.concurrency} parts at once, simulated transport and store.
    </p>
  );
}

/**
 * One provider, many components: the endpoint and core options (here the simulated backend's ports) are
 * given once, and the uploader and the recorder below both use them.
 */
const meta = {
  title: 'Components/TesseraProvider',
  argTypes: KNOB_ARG_TYPES,
  args: DEFAULT_KNOBS,
  loaders: [async ({ args }): Promise<Scene> => ({ simulation: createSimulation({ knobs: knobsOf(args) }), uploads: [] })],
  render: (args, { loaded }) => {
    const { simulation } = sceneOf(loaded);
    return (
      <SimulatedProvider simulation={simulation} knobs={knobsOf(args)}>
        <Scope>
          <SharedDefaults />
          <GeneratedFileButton makeFile={() => makeFile('annual-report.pdf', 8, { type: 'application/pdf' })}>
            Add a generated 8 MB PDF
          </GeneratedFileButton>
          <ResumableUpload label="Documents" />
          <UploadRecorder
            kinds={['screen']}
            media={canvasRecordingMedia()}
            createSource={(recorder) => fromMediaRecorder(recorder, { storage: 'memory' })}
          />
        </Scope>
      </SimulatedProvider>
    );
  },
} satisfies Meta<Knobs>;

export default meta;
type Story = StoryObj<typeof meta>;

export const SharedOptions: Story = {
  name: 'Shared endpoint and options',
  play: async ({ canvas, userEvent }) => {
    await expect(canvas.getByText(/^Endpoint/)).toHaveTextContent('Endpoint /simulated, 4 parts at once');
    await expect(canvas.getByRole('region', { name: 'Documents' })).toBeVisible();
    await expect(canvas.getByRole('region', { name: 'Recorder' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Add a generated 8 MB PDF' }));
    await waitFor(() => expect(canvas.getByText('Uploaded')).toBeVisible(), { timeout: 10_000 });
  },
};
