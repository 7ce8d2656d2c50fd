import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { ResumableUpload, type ResumableUploadProps } from '../ResumableUpload.js';
import { UploadProgress } from '../UploadProgress.js';
import { useUpload } from '../useUpload.js';
import type { Upload } from '../index.js';
import {
  createSimulation,
  DEFAULT_KNOBS,
  earlierVisit,
  KNOB_ARG_TYPES,
  type Knobs,
  knobsOf,
  makeFile,
  pickFiles,
  type Simulation,
  withServerPolicy,
} from './simulation.js';
import { GeneratedFileButton, Scope, SimulatedProvider } from './StoryKit.js';

type Args = Knobs & {
  /** Size of the file the “Add a generated file” button makes, in MB. */
  fileSizeMB: number;
};

interface Loaded {
  simulation: Simulation;
  /** The file an earlier visit left unfinished, when the story has one. */
  file?: File;
}

/**
 * The complete uploader on the simulated backend: drop or choose files (or press “Add a generated file”),
 * then change the backend's knobs while they upload: lower the bandwidth, raise the failure rate (parts
 * retry), go offline (uploads wait for the network and carry on when it is back).
 */
const meta = {
  title: 'Components/ResumableUpload',
  argTypes: {
    ...KNOB_ARG_TYPES,
    fileSizeMB: { control: { type: 'range', min: 1, max: 500, step: 1 }, table: { category: 'Story' } },
  },
  args: { ...DEFAULT_KNOBS, fileSizeMB: 12 },
  loaders: [async ({ args }): Promise<Loaded> => ({ simulation: createSimulation({ knobs: knobsOf(args) }) })],
  render: (args, { loaded }) => <Uploader args={args} loaded={loaded as Loaded} />,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

function Uploader({ args, loaded, ...props }: { args: Args; loaded: Loaded } & ResumableUploadProps) {
  return (
    <SimulatedProvider simulation={loaded.simulation} knobs={knobsOf(args)}>
      <Scope>
        <GeneratedFileButton makeFile={() => makeFile(`generated-${args.fileSizeMB}MB.bin`, args.fileSizeMB)}>
          Add a generated {args.fileSizeMB} MB file
        </GeneratedFileButton>
        <ResumableUpload {...props} />
      </Scope>
    </SimulatedProvider>
  );
}

type Canvas = ReturnType<typeof within>;

const dropZoneInput = (canvasElement: HTMLElement) => {
  const input = canvasElement.querySelector<HTMLInputElement>('[data-tessera="dropzone"] input[type="file"]');
  if (!input) throw new Error('no drop zone input');
  return input;
};

const uploaded = (canvas: Canvas, count = 1) =>
  waitFor(() => expect(canvas.getAllByText('Uploaded')).toHaveLength(count), { timeout: 15_000 });

export const Playground: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(canvas.getByRole('region', { name: 'File upload' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Add a generated 12 MB file' }));
    await expect(await canvas.findByRole('listitem', { name: 'generated-12MB.bin' })).toBeVisible();
    await uploaded(canvas);
    await expect(canvas.getByRole('heading', { name: 'Files' })).toBeVisible();
  },
};

export const SeveralFiles: Story = {
  name: 'Several files: pause all, resume all',
  args: { bandwidthMBps: 12 },
  play: async ({ canvas, canvasElement, userEvent }) => {
    pickFiles(dropZoneInput(canvasElement), [
      makeFile('day-1.mp4', 12, { type: 'video/mp4' }),
      makeFile('day-2.mp4', 12, { type: 'video/mp4', seed: 2 }),
      makeFile('day-3.mp4', 12, { type: 'video/mp4', seed: 3 }),
    ]);
    await waitFor(() => expect(canvas.getAllByText('Uploading')).toHaveLength(3));
    await expect(canvas.getByRole('progressbar', { name: 'Total progress' })).toBeVisible();
    const all = canvas.getByRole('group', { name: 'All uploads' });
    await userEvent.click(canvas.getByRole('button', { name: 'Pause all' }));
    await waitFor(() => expect(canvas.getAllByText('Paused')).toHaveLength(3));
    await expect(all).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Resume all' }));
    await uploaded(canvas, 3);
  },
};

export const ClientRules: Story = {
  name: 'Refused by the drop zone’s rules',
  render: (args, { loaded }) => (
    <Uploader args={args} loaded={loaded as Loaded} accept="image/*,.pdf" maxSize={10e6} maxFiles={3} />
  ),
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText('Accepted: image/*, .pdf. Up to 10 MB each. At most 3 files at once.')).toBeVisible();
    pickFiles(dropZoneInput(canvasElement), [
      makeFile('setup.exe', 1, { type: 'application/x-msdownload' }),
      makeFile('panorama.png', 14, { type: 'image/png' }),
      makeFile('receipt.pdf', 0.2, { type: 'application/pdf' }),
    ]);
    const alert = canvas.getAllByRole('alert')[0];
    await waitFor(() => expect(alert?.querySelector('[data-code="type-not-allowed"]')).toBeTruthy());
    await expect(alert?.querySelector('[data-code="file-too-large"]')).toBeTruthy();
    await expect(await canvas.findByRole('listitem', { name: 'receipt.pdf' })).toBeVisible();
    await uploaded(canvas);
  },
};

export const ServerRefusal: Story = {
  name: 'Refused by the server’s policy',
  loaders: [
    async ({ args }): Promise<Loaded> => ({
      simulation: createSimulation({
        knobs: knobsOf(args),
        transport: (transport) => withServerPolicy(transport, { maxSize: 20e6, types: ['video/*'] }),
      }),
    }),
  ],
  play: async ({ canvas, canvasElement, userEvent }) => {
    pickFiles(dropZoneInput(canvasElement), [
      makeFile('wedding-full.mp4', 30, { type: 'video/mp4' }),
      makeFile('guest-list.xlsx', 0.1, { type: 'application/vnd.ms-excel' }),
    ]);
    const large = await canvas.findByRole('listitem', { name: 'wedding-full.mp4' });
    await waitFor(() => expect(large).toHaveTextContent('This file is larger than the server allows.'));
    const sheet = canvas.getByRole('listitem', { name: 'guest-list.xlsx' });
    await waitFor(() => expect(sheet).toHaveTextContent('The server does not accept this type of file.'));
    // Retrying would only be refused again: no Retry, and Remove takes the item off the list.
    await expect(canvas.queryByRole('button', { name: /^Retry/ })).toBeNull();
    await expect(within(large).getAllByRole('button').map((button) => button.textContent)).toEqual(['Remove']);
    await userEvent.click(within(large).getByRole('button', { name: 'Remove wedding-full.mp4' }));
    await waitFor(() => expect(canvas.queryByRole('listitem', { name: 'wedding-full.mp4' })).toBeNull());
    await expect(canvas.getByRole('button', { name: 'Remove guest-list.xlsx' })).toHaveFocus();
  },
};

/** An earlier visit uploaded 2 of the 4 parts of the file, then the tab was closed. */
const interrupted = async ({ args }: { args: Args }): Promise<Loaded> => {
  const first = createSimulation({ knobs: knobsOf(args) });
  const file = makeFile('thesis-defense.mp4', 18, { type: 'video/mp4' });
  await earlierVisit(first.backend, first.checkpoints, file, 2);
  const simulation = createSimulation({ knobs: knobsOf(args), backend: first.backend, checkpoints: first.checkpoints });
  return { simulation, file };
};

/** Choose `file` for the unfinished upload, as a person does with the panel's button and the picker. */
async function chooseAgain(canvas: Canvas, canvasElement: HTMLElement, userEvent: { click(element: Element): Promise<void> }, file: File) {
  await userEvent.click(await canvas.findByRole('button', { name: 'Choose file to resume thesis-defense.mp4' }));
  const input = canvasElement.querySelector<HTMLInputElement>('[data-tessera="resume-input"]');
  if (!input) throw new Error('no resume input');
  pickFiles(input, [file]);
}

export const ResumableAfterReload: Story = {
  name: 'Resumable after reload',
  loaders: [interrupted],
  play: async ({ canvas }) => {
    const panel = await canvas.findByRole('region', { name: 'Unfinished uploads' });
    await expect(panel).toHaveTextContent(/thesis-defense\.mp4 58% uploaded \(10\.5 MB of 18 MB\)/);
    await expect(canvas.getByRole('button', { name: 'Discard thesis-defense.mp4' })).toBeVisible();
  },
};

export const ResumeWithTheSameFile: Story = {
  name: 'Interaction: resume with the same file',
  loaders: [interrupted],
  play: async ({ canvas, canvasElement, loaded, userEvent }) => {
    const { file } = loaded as Loaded;
    if (!file) throw new Error('no file');
    await chooseAgain(canvas, canvasElement, userEvent, file);
    const item = await canvas.findByRole('listitem', { name: 'thesis-defense.mp4' });
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'completed'), { timeout: 15_000 });
    await expect(canvas.queryByRole('region', { name: 'Unfinished uploads' })).toBeNull();
  },
};

export const ResumeWithAnotherFile: Story = {
  name: 'Interaction: resume with another file (refused)',
  loaders: [interrupted],
  play: async ({ canvas, canvasElement, userEvent }) => {
    await chooseAgain(canvas, canvasElement, userEvent, makeFile('thesis-defense.mp4', 18, { type: 'video/mp4', seed: 9 }));
    // The attempt joins the list while the file is checked, then leaves it, refused, for the panel again.
    const refusal = await canvas.findByText(/not the file the upload started with/, {}, { timeout: 10_000 });
    await expect(canvas.getByRole('region', { name: 'Unfinished uploads' })).toContainElement(refusal);
    await expect(canvas.getByRole('button', { name: 'Choose file to resume thesis-defense.mp4' })).toHaveFocus();
    await expect(canvas.queryByRole('listitem', { name: 'thesis-defense.mp4' })).toBeNull();
  },
};

/** A one-line row for the `item` slot. */
function CompactRow({ upload, remove }: { upload: Upload; remove?: () => void }) {
  const { fileName, status } = useUpload(upload);
  return (
    <li data-story="compact-row" aria-label={fileName} style={{ display: 'grid', gap: 6 }}>
      <UploadProgress upload={upload} label={`${fileName}, ${status}`} />
      {remove && status === 'completed' ? (
        <button type="button" onClick={remove} style={{ justifySelf: 'start' }}>
          Remove {fileName}
        </button>
      ) : null}
    </li>
  );
}

export const CustomSlots: Story = {
  name: 'Custom slots (item, toolbar)',
  render: (args, { loaded }) => (
    <Uploader
      args={args}
      loaded={loaded as Loaded}
      label="Attachments"
      slots={{
        item: (upload, { remove }) => <CompactRow upload={upload} {...(remove && { remove })} />,
        toolbar: () => null,
      }}
    />
  ),
  play: async ({ canvas, canvasElement, userEvent }) => {
    pickFiles(dropZoneInput(canvasElement), [makeFile('minutes.pdf', 3, { type: 'application/pdf' })]);
    await expect(await canvas.findByRole('progressbar', { name: /^minutes\.pdf, / })).toBeVisible();
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove minutes.pdf' }, { timeout: 10_000 }));
    await waitFor(() => expect(canvas.queryByRole('listitem', { name: 'minutes.pdf' })).toBeNull());
    await expect(canvas.getByRole('region', { name: 'Attachments' })).toBeVisible();
  },
};
