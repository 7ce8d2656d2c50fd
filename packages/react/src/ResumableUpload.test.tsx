import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createTestPorts, makeFile, seedUnfinished } from '../test/fakes.js';
import { modes, renderWithPorts } from '../test/render.js';
import { ResumableUpload } from './ResumableUpload.js';

const dropInput = (container: HTMLElement) =>
  container.querySelector('[data-tessera="dropzone"] input[type="file"]') as HTMLInputElement;
const resumeInput = (container: HTMLElement) =>
  container.querySelector('[data-tessera="resume-input"]') as HTMLInputElement;

describe.each(modes)('ResumableUpload $name', ({ strict }) => {
  it('uploads picked files with per-file and total progress, and refuses files against the rules', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { container, ports } = renderWithPorts(<ResumableUpload accept=".bin" maxSize={100} />, { strict });
    expect(screen.getByRole('region', { name: 'File upload' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Files' })).toBeNull();
    ports.uploader.hold = true;

    await user.upload(dropInput(container), [makeFile('a.bin', 25), makeFile('b.bin', 15), makeFile('c.txt', 5)]);
    expect(screen.getByRole('alert').textContent).toContain('c.txt is not an accepted type');
    const list = screen.getByRole('list', { name: 'Files' });
    await waitFor(() =>
      expect(within(list).getAllByRole('listitem').map((row) => row.dataset.state)).toEqual(['uploading', 'uploading']),
    );
    expect(screen.getByRole('progressbar', { name: 'Total progress' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'All uploads' })).toBeTruthy();

    ports.uploader.hold = false;
    ports.uploader.release();
    const total = screen.getByRole('progressbar', { name: 'Total progress' });
    await waitFor(() => expect(total.getAttribute('aria-valuetext')).toBe('100% · 40 B of 40 B'));
    expect(total.dataset.state).toBe('completed');
  });

  it('pauses and resumes everything from the toolbar', async () => {
    const user = userEvent.setup();
    const { container, ports } = renderWithPorts(<ResumableUpload />, { strict });
    ports.uploader.hold = true;
    await user.upload(dropInput(container), [makeFile('a.bin', 25), makeFile('b.bin', 15)]);
    await waitFor(() => expect(ports.uploader.held).toBe(4));
    await user.click(screen.getByRole('button', { name: 'Pause all' }));
    expect(screen.getAllByText('Paused')).toHaveLength(2);
    ports.uploader.hold = false;
    await user.click(screen.getByRole('button', { name: 'Resume all' }));
    await waitFor(() => expect(screen.getAllByText('Uploaded')).toHaveLength(2));
  });

  it('asks for the file again after a reload, refuses another file, and resumes with the right one', async () => {
    const user = userEvent.setup();
    const ports = createTestPorts();
    const movie = makeFile('movie.bin', 35);
    await seedUnfinished(ports, movie, [1, 2]);
    const { container } = renderWithPorts(<ResumableUpload />, { strict, ports });

    const panel = await screen.findByRole('region', { name: 'Unfinished uploads' });
    expect(within(panel).getByText(/57% uploaded \(20 B of 35 B\)/)).toBeTruthy();
    const choose = within(panel).getByRole('button', { name: 'Choose file to resume movie.bin' });
    // Label in name (WCAG 2.5.3): the name starts with the words on the button.
    expect(choose.textContent).toBe('Choose file to resume');

    await user.click(choose);
    await user.upload(resumeInput(container), makeFile('movie.bin', 35, { seed: 9 }));
    const alert = await within(screen.getByRole('region', { name: 'Unfinished uploads' })).findByRole('alert');
    expect(alert.textContent).toBe(
      'This is not the file the upload started with. Choose the same file again. Expected movie.bin (35 B).',
    );
    expect(alert.dataset.code).toBe('fingerprint-mismatch');
    const again = screen.getByRole('button', { name: 'Choose file to resume movie.bin' });
    await waitFor(() => expect(document.activeElement).toBe(again));
    expect(screen.queryByRole('listitem', { name: 'movie.bin' })).toBeNull();

    await user.click(again);
    await user.upload(resumeInput(container), movie);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Unfinished uploads' })).toBeNull());
    const row = screen.getByRole('listitem', { name: 'movie.bin' });
    await waitFor(() => expect(within(row).getByText('Uploaded')).toBeTruthy());
    expect(ports.uploader.attempts.sort()).toEqual([3, 4]);
  });

  it('discards an unfinished upload on the server and forgets it', async () => {
    const user = userEvent.setup();
    const ports = createTestPorts();
    const checkpoint = await seedUnfinished(ports, makeFile('old.bin', 25), [1]);
    renderWithPorts(<ResumableUpload />, { strict, ports });
    await user.click(await screen.findByRole('button', { name: 'Discard old.bin' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Unfinished uploads' })).toBeNull());
    expect(ports.server.calls).toContain(`abort ${checkpoint.uploadId}`);
    expect(await ports.checkpoints.load(checkpoint.id)).toBeNull();
  });

  it('lets slots replace each part of its UI', async () => {
    const user = userEvent.setup();
    const ports = createTestPorts();
    await seedUnfinished(ports, makeFile('old.bin', 25), [1]);
    renderWithPorts(
      <ResumableUpload
        slots={{
          dropZone: ({ onDrop }) => (
            <button type="button" onClick={() => onDrop([makeFile('mine.bin', 5)], [])}>
              My picker
            </button>
          ),
          resumePanel: ({ items }) => <p>{items.length} to resume</p>,
          item: (upload, { remove }) => (
            <li key={upload.id}>
              My row {upload.getSnapshot().fileName}
              <button type="button" onClick={remove}>
                Drop it
              </button>
            </li>
          ),
          announcer: () => null,
        }}
      />,
      { strict, ports },
    );
    expect(await screen.findByText('1 to resume')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'My picker' }));
    expect(screen.getByText('My row mine.bin')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Drop it' }));
    expect(screen.queryByText('My row mine.bin')).toBeNull();
  });
});
