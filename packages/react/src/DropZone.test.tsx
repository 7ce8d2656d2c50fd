import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import '../test/render.js';
import { DropZone } from './DropZone.js';
import { useDropzone } from './useDropzone.js';
import type { FileRejection } from './validateFiles.js';

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });
const picker = (container: HTMLElement) => container.querySelector('input[type="file"]') as HTMLInputElement;
const dataTransfer = (files: File[]) => ({
  files,
  items: files.map((dropped) => ({ kind: 'file', type: dropped.type })),
  types: ['Files'],
});

describe('DropZone', () => {
  it('is a labelled, described button that opens the file picker on click, Enter and Space', async () => {
    const user = userEvent.setup();
    const { container } = render(<DropZone accept="video/*,.mkv" maxSize={5e9} />);
    const zone = screen.getByRole('button', { name: 'Drop files here, or choose files' });
    expect(zone.getAttribute('aria-describedby')).toBeTruthy();
    const hint = screen.getByText('Accepted: video/*, .mkv. Up to 5 GB each.');
    expect(hint.id).toBe(zone.getAttribute('aria-describedby'));
    // Label in name (WCAG 2.5.3): the button shows its name and nothing else; the hint is beside it.
    expect(zone.contains(hint)).toBe(false);
    expect(zone.textContent).toBe('Drop files here, or choose files');
    const open = vi.spyOn(picker(container), 'click');

    await user.tab();
    expect(document.activeElement).toBe(zone);
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    await user.click(zone);
    expect(open).toHaveBeenCalledTimes(3);
    expect(picker(container).accept).toBe('video/*,.mkv');
  });

  it('passes picked files on, and lists refused ones with their reasons in an alert', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const onDrop = vi.fn<(accepted: File[], rejected: FileRejection[]) => void>();
    const { container } = render(<DropZone accept="image/*" maxSize={100} onDrop={onDrop} />);
    const files = [file('ok.png', 'image/png'), file('clip.mp4', 'video/mp4'), file('huge.png', 'image/png', 500)];
    await user.upload(picker(container), files);

    const [accepted, rejected] = onDrop.mock.calls[0] ?? [];
    expect(accepted?.map((picked) => picked.name)).toEqual(['ok.png']);
    expect(rejected?.map(({ file: refused, reasons }) => [refused.name, reasons.map((reason) => reason.code)])).toEqual([
      ['clip.mp4', ['type-not-allowed']],
      ['huge.png', ['file-too-large']],
    ]);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('clip.mp4 is not an accepted type (accepted: image/*).');
    expect(alert.textContent).toContain('huge.png is 500 B; the largest allowed is 100 B.');
    expect(alert.querySelector('[data-code="file-too-large"]')).not.toBeNull();
  });

  it('takes dropped files and shows the drag state (refusing types it cannot take)', () => {
    const onDrop = vi.fn();
    render(<DropZone accept="image/*" onDrop={onDrop} />);
    const zone = screen.getByRole('button');
    const wrapper = zone.parentElement as HTMLElement;

    fireEvent.dragEnter(zone, { dataTransfer: dataTransfer([file('a.png', 'image/png')]) });
    expect(zone.dataset.state).toBe('drag-active');
    fireEvent.dragLeave(zone);
    expect(zone.dataset.state).toBe('idle');

    fireEvent.dragEnter(zone, { dataTransfer: dataTransfer([file('a.mp4', 'video/mp4')]) });
    expect(zone.dataset.state).toBe('drag-reject');
    expect(wrapper.dataset.state).toBe('drag-reject');
    fireEvent.drop(zone, { dataTransfer: dataTransfer([file('a.png', 'image/png'), file('b.mp4', 'video/mp4')]) });
    expect(zone.dataset.state).toBe('idle');
    expect(onDrop).toHaveBeenCalledTimes(1);
    expect((onDrop.mock.calls[0]?.[0] as File[]).map((dropped) => dropped.name)).toEqual(['a.png']);
    expect(screen.getByRole('alert').textContent).toContain('b.mp4 is not an accepted type');
  });

  it('takes one file when multiple is off, refusing the others as too many', () => {
    const onDrop = vi.fn();
    render(<DropZone multiple={false} onDrop={onDrop} />);
    fireEvent.drop(screen.getByRole('button'), { dataTransfer: dataTransfer([file('a.txt', ''), file('b.txt', '')]) });
    expect((onDrop.mock.calls[0]?.[1] as FileRejection[])[0]?.reasons[0]?.code).toBe('too-many-files');
    expect(screen.getByText('One file.')).toBeTruthy();
  });

  it('does nothing when disabled, and says so', async () => {
    const user = userEvent.setup();
    const onDrop = vi.fn();
    const { container } = render(<DropZone disabled onDrop={onDrop} />);
    const zone = screen.getByRole('button');
    const open = vi.spyOn(picker(container), 'click');
    expect(zone.getAttribute('aria-disabled')).toBe('true');
    expect(zone.tabIndex).toBe(-1);
    await user.click(zone);
    fireEvent.drop(zone, { dataTransfer: dataTransfer([file('a.txt', '')]) });
    expect(open).not.toHaveBeenCalled();
    expect(onDrop).not.toHaveBeenCalled();
    expect(zone.dataset.state).toBe('disabled');
  });

  it('renders children as a render prop with the zone state, still described by the rules', () => {
    render(<DropZone maxFiles={2}>{({ state }) => <span>Zone is {state}</span>}</DropZone>);
    const zone = screen.getByRole('button', { name: 'Zone is idle' });
    expect(zone.textContent).toBe('Zone is idle');
    expect(screen.getByText('At most 2 files at once.').id).toBe(zone.getAttribute('aria-describedby'));
  });

  it('takes its own hint, or none', () => {
    const { rerender } = render(<DropZone maxSize={1e6} hint="Small photos only." />);
    expect(screen.getByRole('button').getAttribute('aria-describedby')).toBe(screen.getByText('Small photos only.').id);
    rerender(<DropZone maxSize={1e6} hint={null} />);
    expect(screen.getByRole('button').hasAttribute('aria-describedby')).toBe(false);
    expect(screen.queryByText(/Up to/)).toBeNull();
  });
});

describe('useDropzone prop getters', () => {
  function Zone({ onKeyDown }: { onKeyDown: (event: React.KeyboardEvent<HTMLElement>) => void }) {
    const zone = useDropzone();
    return (
      <div {...zone.getRootProps({ onKeyDown, className: 'mine', 'aria-label': 'Upload' })}>
        <input {...zone.getInputProps()} data-testid="input" />
        <button type="button">Inner</button>
      </div>
    );
  }

  it("compose the user's handlers (which may prevent the zone's) and keep the user's props", async () => {
    const user = userEvent.setup();
    const onKeyDown = vi.fn((event: React.KeyboardEvent<HTMLElement>) => {
      if (event.key === 'Enter') event.preventDefault();
    });
    render(<Zone onKeyDown={onKeyDown} />);
    const zone = screen.getByRole('button', { name: 'Upload' });
    const open = vi.spyOn(screen.getByTestId('input') as HTMLInputElement, 'click');
    expect(zone.className).toBe('mine');
    zone.focus();
    await user.keyboard('{Enter}');
    expect(onKeyDown).toHaveBeenCalledTimes(1);
    expect(open).not.toHaveBeenCalled();
    await user.keyboard(' ');
    expect(open).toHaveBeenCalledTimes(1);
    // A button inside the zone is its own control.
    await user.click(screen.getByRole('button', { name: 'Inner' }));
    expect(open).toHaveBeenCalledTimes(1);
  });
});
