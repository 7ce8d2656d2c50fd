import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, mocked, waitFor } from 'storybook/test';
import { DropZone } from '../DropZone.js';
import { useDropzone } from '../useDropzone.js';
import type { FileRejection } from '../validateFiles.js';
import { dragFiles, makeFile, pickFiles } from './simulation.js';

/**
 * A `role="button"` zone: click, Enter or Space opens the file picker, files can be dropped, and refused
 * files are listed with the reason in an alert region. The rules in words sit under the zone, outside the
 * button, and describe it: the button's name is exactly what it shows (WCAG 2.5.3, label in name).
 */
const meta = {
  title: 'Components/DropZone',
  component: DropZone,
  args: { onDrop: fn() },
  argTypes: {
    accept: { control: 'text' },
    maxSize: { control: 'number' },
    minSize: { control: 'number' },
    maxFiles: { control: 'number' },
    multiple: { control: 'boolean' },
    disabled: { control: 'boolean' },
    label: { control: 'text' },
    onDrop: { control: false },
  },
} satisfies Meta<typeof DropZone>;

export default meta;
type Story = StoryObj<typeof meta>;

const target = (canvasElement: HTMLElement) => {
  const zone = canvasElement.querySelector<HTMLElement>('[data-tessera="dropzone-target"]');
  if (!zone) throw new Error('no drop zone');
  return zone;
};

/** Stop the browser's file picker from opening, and count how often the zone asked for it. */
function watchPicker(canvasElement: HTMLElement) {
  const opened = fn();
  canvasElement.querySelector('input[type="file"]')?.addEventListener('click', (event) => {
    event.preventDefault();
    opened();
  });
  return opened;
}

export const Default: Story = {
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    const opened = watchPicker(canvasElement);
    const zone = canvas.getByRole('button', { name: 'Drop files here, or choose files' });
    await userEvent.tab();
    await expect(zone).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard(' ');
    await userEvent.click(zone);
    await expect(opened).toHaveBeenCalledTimes(3);
    dragFiles(zone, 'drop', [makeFile('notes.txt', 0.01, { type: 'text/plain' })]);
    await expect(args.onDrop).toHaveBeenCalledWith([expect.objectContaining({ name: 'notes.txt' })], []);
  },
};

export const WithRules: Story = {
  name: 'With rules (accept, size, count)',
  args: { accept: 'image/*,.pdf', maxSize: 10e6, maxFiles: 3, label: 'Drop images or PDFs, or choose them' },
  play: async ({ canvas }) => {
    const rules = 'Accepted: image/*, .pdf. Up to 10 MB each. At most 3 files at once.';
    const zone = canvas.getByRole('button', { name: 'Drop images or PDFs, or choose them' });
    await expect(zone).toHaveAccessibleDescription(rules);
    // The hint is visible, but not inside the button: its words are not part of what the button says.
    const hint = canvas.getByText(rules);
    await expect(hint).toBeVisible();
    await expect(zone).not.toContainElement(hint);
    await expect(zone).toHaveTextContent(/^Drop images or PDFs, or choose them$/);
  },
};

export const Refusals: Story = {
  name: 'Refused files (alert with reasons)',
  args: { accept: 'image/*', maxSize: 5e6, minSize: 1_000 },
  play: async ({ args, canvas, canvasElement }) => {
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]');
    if (!input) throw new Error('no input');
    pickFiles(input, [
      makeFile('cat.jpg', 1, { type: 'image/jpeg' }),
      makeFile('scan.tiff', 12, { type: 'image/tiff' }),
      makeFile('budget.xlsx', 0.1, { type: 'application/vnd.ms-excel' }),
      makeFile('pixel.png', 0.0001, { type: 'image/png' }),
    ]);
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert.querySelectorAll('[data-tessera="rejection"]')).toHaveLength(3));
    const codes = [...alert.querySelectorAll('[data-code]')].map((reason) => reason.getAttribute('data-code'));
    await expect(codes).toEqual(['file-too-large', 'type-not-allowed', 'file-too-small']);
    if (!args.onDrop) throw new Error('no onDrop spy');
    const [accepted, rejected] = mocked(args.onDrop).mock.calls[0] ?? [];
    await expect(accepted?.map((file: File) => file.name)).toEqual(['cat.jpg']);
    await expect(rejected).toHaveLength(3);
  },
};

export const DragActive: Story = {
  name: 'Dragging files it takes',
  args: { accept: 'image/*' },
  play: async ({ canvasElement }) => {
    const zone = target(canvasElement);
    dragFiles(zone, 'dragenter', [makeFile('sunset.png', 0.01, { type: 'image/png' })]);
    await waitFor(() => expect(zone).toHaveAttribute('data-state', 'drag-active'));
  },
};

export const DragReject: Story = {
  name: 'Dragging files it refuses',
  args: { accept: 'image/*' },
  play: async ({ canvasElement }) => {
    const zone = target(canvasElement);
    dragFiles(zone, 'dragenter', [makeFile('song.mp3', 0.01, { type: 'audio/mpeg' })]);
    await waitFor(() => expect(zone).toHaveAttribute('data-state', 'drag-reject'));
  },
};

export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const opened = watchPicker(canvasElement);
    const zone = canvas.getByRole('button', { name: 'Drop files here, or choose files' });
    await expect(zone).toHaveAttribute('aria-disabled', 'true');
    await expect(zone).toHaveAttribute('data-state', 'disabled');
    await userEvent.click(zone);
    await expect(opened).not.toHaveBeenCalled();
  },
};

/** The hook alone: your own markup, the zone's behaviour (here a compact "attach" control). */
function AttachButton({ onDrop }: { onDrop: (accepted: File[], rejected: FileRejection[]) => void }) {
  const { getRootProps, getInputProps, state, rejections } = useDropzone({ accept: 'image/*', maxSize: 2e6, onDrop });
  return (
    <div style={{ display: 'grid', gap: 8, justifyItems: 'start', fontFamily: 'var(--tessera-font)' }}>
      <div
        {...getRootProps({
          'aria-label': 'Attach images',
          style: {
            padding: '8px 16px',
            borderRadius: 999,
            border: `2px solid ${state === 'drag-active' ? 'var(--tessera-accent)' : 'var(--tessera-border)'}`,
            background: 'var(--tessera-surface)',
            cursor: 'pointer',
          },
        })}
      >
        <input {...getInputProps()} />
        + Attach images
      </div>
      <div role="alert">
        {rejections.map(({ file, reasons }) => (
          <p key={file.name} style={{ margin: 0, color: 'var(--tessera-danger)' }}>
            {reasons.map((reason) => reason.message).join(' ')}
          </p>
        ))}
      </div>
    </div>
  );
}

export const HeadlessHook: Story = {
  name: 'Headless: useDropzone',
  render: (args) => <AttachButton onDrop={args.onDrop ?? (() => undefined)} />,
  play: async ({ args, canvas }) => {
    const zone = canvas.getByRole('button', { name: 'Attach images' });
    dragFiles(zone, 'drop', [makeFile('huge.png', 3, { type: 'image/png' })]);
    await expect(await canvas.findByText('huge.png is 3 MB; the largest allowed is 2 MB.')).toBeVisible();
    await expect(args.onDrop).toHaveBeenCalledWith([], [expect.objectContaining({ file: expect.objectContaining({ name: 'huge.png' }) })]);
  },
};
