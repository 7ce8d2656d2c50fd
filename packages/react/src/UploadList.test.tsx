import { TesseraError } from '@tessera/core';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createTestPorts, makeFile } from '../test/fakes.js';
import { modes, renderWithPorts } from '../test/render.js';
import { UploadList } from './UploadList.js';
import { type UseMultipartUploadResult, useMultipartUpload } from './useMultipartUpload.js';

function harness() {
  const controls: { current: UseMultipartUploadResult | null } = { current: null };
  function Uploads() {
    const upload = useMultipartUpload();
    controls.current = upload;
    return <UploadList uploads={upload.uploads} onRemove={(removed) => upload.remove(removed.id)} />;
  }
  const add = (...files: File[]) => act(() => void controls.current?.add(files));
  return { Uploads, add };
}

const item = (name: string) => screen.getByRole('listitem', { name });

describe.each(modes)('UploadList $name', ({ strict }) => {
  it('shows each upload: name, size, status in words, progress bar and parts', async () => {
    const { Uploads, add } = harness();
    const { ports } = renderWithPorts(<Uploads />, { strict });
    ports.uploader.hold = true;
    add(makeFile('a.bin', 25));
    const row = item('a.bin');
    await waitFor(() => expect(within(row).getByText('Uploading')).toBeTruthy());
    expect(row.dataset.state).toBe('uploading');
    expect(within(row).getByText('25 B')).toBeTruthy();
    expect(within(row).getByRole('progressbar', { name: 'a.bin progress' })).toBeTruthy();
    // Each part is taken up in a task of its own, so the three start one after another.
    await waitFor(() => expect(within(row).getByText('0 of 3 parts stored · 3 sending')).toBeTruthy());
    expect(row.querySelectorAll('[data-tessera="parts-strip"] > li[data-state="uploading"]')).toHaveLength(3);

    act(() => ports.uploader.release());
    ports.uploader.hold = false;
    await waitFor(() => expect(within(row).getByText('Uploaded')).toBeTruthy());
    await waitFor(() => expect(row.textContent).toContain('Stored as uploads/1/a.bin (25 B)'));
  });

  it('pauses and resumes from the keyboard, keeping focus on the same button', async () => {
    const user = userEvent.setup();
    const { Uploads, add } = harness();
    const { ports } = renderWithPorts(<Uploads />, { strict });
    ports.uploader.hold = true;
    add(makeFile('a.bin', 25));
    const row = item('a.bin');
    const pause = await within(row).findByRole('button', { name: 'Pause a.bin' });
    await user.tab();
    expect(document.activeElement).toBe(pause);

    await user.keyboard('{Enter}');
    expect(within(row).getByText('Paused')).toBeTruthy();
    expect(ports.uploader.aborted).toHaveLength(3);
    const resume = within(row).getByRole('button', { name: 'Resume a.bin' });
    expect(resume).toBe(pause);
    expect(document.activeElement).toBe(resume);

    ports.uploader.hold = false;
    await user.keyboard(' ');
    await waitFor(() => expect(within(row).getByText('Uploaded')).toBeTruthy());
  });

  it('shows a failure as an alert with its code, and retries it', async () => {
    const user = userEvent.setup();
    const ports = createTestPorts();
    // The store refuses part 1 with 503 and each part may be tried once: retries-exhausted, retryable.
    ports.options.retry = { maxAttempts: 1 };
    ports.uploader.failures.set(1, { kind: 'http', status: 503 });
    const { Uploads, add } = harness();
    renderWithPorts(<Uploads />, { strict, ports });
    add(makeFile('a.bin', 25));
    const row = item('a.bin');
    const alert = await within(row).findByRole('alert');
    expect(alert.textContent).toBe('A part kept failing. Retry to continue from where it stopped.');
    expect(alert.dataset.code).toBe('retries-exhausted');
    expect(within(row).getByText('Failed')).toBeTruthy();

    await user.click(within(row).getByRole('button', { name: 'Retry a.bin' }));
    await waitFor(() => expect(within(row).getByText('Uploaded')).toBeTruthy());
    expect(within(row).queryByRole('alert')).toBeNull();
  });

  it('offers no Retry for a failure retrying cannot cure; Remove takes it off, focus moving on', async () => {
    const user = userEvent.setup();
    const ports = createTestPorts();
    ports.server.signFailures.push(new TesseraError('unauthenticated', 'who are you', { status: 401 }));
    const { Uploads, add } = harness();
    renderWithPorts(<Uploads />, { strict, ports });
    ports.uploader.hold = true;
    add(makeFile('a.bin', 25), makeFile('b.bin', 25));
    const row = item('a.bin');
    expect((await within(row).findByRole('alert')).textContent).toBe('Sign in again to upload.');
    expect(within(row).getAllByRole('button').map((button) => button.getAttribute('aria-label'))).toEqual([
      'Remove a.bin',
    ]);

    await user.click(within(row).getByRole('button', { name: 'Remove a.bin' }));
    expect(screen.queryByRole('listitem', { name: 'a.bin' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(within(item('b.bin')).getAllByRole('button')[0]));
  });

  it('cancels, then removes, moving focus to the next upload', async () => {
    const user = userEvent.setup();
    const { Uploads, add } = harness();
    const { ports } = renderWithPorts(<Uploads />, { strict });
    ports.uploader.hold = true;
    add(makeFile('a.bin', 25), makeFile('b.bin', 25));
    await user.click(await within(item('a.bin')).findByRole('button', { name: 'Cancel a.bin' }));
    await waitFor(() => expect(within(item('a.bin')).getByText('Cancelled')).toBeTruthy());
    expect(ports.server.calls).toContain('abort upload-1');

    await user.click(within(item('a.bin')).getByRole('button', { name: 'Remove a.bin' }));
    expect(screen.queryByRole('listitem', { name: 'a.bin' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(within(item('b.bin')).getAllByRole('button')[0]));
  });
});
