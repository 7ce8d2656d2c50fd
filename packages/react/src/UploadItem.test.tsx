import { createUpload, TesseraError, type Upload, type UploadSnapshot } from '@tessera/core';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestPorts, ENDPOINT, makeFile, type TestPorts } from '../test/fakes.js';
import { modes, renderWithPorts } from '../test/render.js';
import { UploadItem } from './UploadItem.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Let the engine's promises and I/O run (no fake time passes); until `reached`, or fail. */
async function settle(upload: Upload, reached: (snapshot: UploadSnapshot) => boolean) {
  for (let turn = 0; turn < 500 && !reached(upload.getSnapshot()); turn++) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
  }
  expect(reached(upload.getSnapshot())).toBe(true);
}

const slowDown = { kind: 'http', status: 503, body: '<Error><Code>SlowDown</Code></Error>' } as const;

/** An upload of three 10-byte parts whose part 2 the store refuses once with 503: it retries after 4 s. */
function retryingUpload(ports: TestPorts) {
  ports.uploader.failures.set(2, slowDown);
  return createUpload({
    ...ports.options,
    endpoint: ENDPOINT,
    source: makeFile('clip.mp4', 25),
    autoStart: true,
    // Full jitter: 0.8 of a 5 s ceiling is a 4 s wait.
    retry: { baseMs: 5_000, capMs: 5_000, maxAttempts: 5 },
    random: () => 0.8,
  });
}

const text = (container: HTMLElement, name: string) =>
  container.querySelector(`[data-tessera="${name}"]`)?.textContent ?? null;

describe.each(modes)('UploadItem retry countdown $name', ({ strict }) => {
  it('counts down to the next attempt once a second, beside the status and for the part, then goes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const ports = createTestPorts();
    const upload = retryingUpload(ports);
    const { container } = renderWithPorts(<UploadItem upload={upload} />, { strict, ports });
    await settle(upload, (snapshot) => snapshot.parts.some((part) => part.status === 'retrying'));
    await settle(upload, (snapshot) => snapshot.parts.filter((part) => part.status === 'done').length === 2);

    expect(screen.getByText('Uploading')).toBeTruthy();
    expect(text(container, 'upload-retry')).toBe('Retrying in 4 s');
    expect(text(container, 'part-retry')).toBe('Part 2: retrying in 4 s (attempt 2, http 503)');
    // The time left is not guessed while a part waits out its backoff.
    const bar = screen.getByRole('progressbar', { name: 'clip.mp4 progress' });
    expect(bar.getAttribute('aria-valuetext')).toMatch(/^60% · 15 B of 25 B( · .+\/s)? · waiting to retry$/);
    // Changing text every second, so never a live region: screen readers are not told each tick.
    expect(container.querySelector('[aria-live], [role="status"], [role="alert"]')).toBeNull();

    act(() => vi.advanceTimersByTime(999));
    expect(text(container, 'upload-retry')).toBe('Retrying in 4 s');
    act(() => vi.advanceTimersByTime(1));
    expect(text(container, 'upload-retry')).toBe('Retrying in 3 s');
    expect(text(container, 'part-retry')).toBe('Part 2: retrying in 3 s (attempt 2, http 503)');
    act(() => vi.advanceTimersByTime(2_000));
    expect(text(container, 'upload-retry')).toBe('Retrying in 1 s');

    // The fourth second: part 2 is sent again, and the countdown leaves with the retry.
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await settle(upload, (snapshot) => snapshot.status === 'completed');
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByText('Uploaded')).toBeTruthy();
    expect(text(container, 'upload-retry')).toBeNull();
    expect(text(container, 'part-retry')).toBeNull();
    expect(bar.getAttribute('aria-valuetext')).toBe('Uploaded · 100% · 25 B of 25 B');
  });
});

describe.each(modes)('UploadItem failures $name', ({ strict }) => {
  /** An upload whose first signing request the server refuses with `error`. */
  const failWith = (error: TesseraError) => {
    const ports = createTestPorts();
    ports.server.signFailures.push(error);
    const source = makeFile('a.bin', 25);
    const upload = createUpload({ ...ports.options, endpoint: ENDPOINT, source, autoStart: true });
    return { ports, upload };
  };
  const buttons = () => screen.getAllByRole('button').map((button) => button.getAttribute('aria-label'));

  it('offers Retry (and Cancel) for a failure retrying can cure, and retries', async () => {
    const user = userEvent.setup();
    // The store refuses part 1 with 503, and the engine may try each part once: `retries-exhausted`, which a
    // later retry can cure.
    const ports = createTestPorts();
    ports.uploader.failures.set(1, slowDown);
    const options = { ...ports.options, endpoint: ENDPOINT, autoStart: true, retry: { maxAttempts: 1 } };
    const upload = createUpload({ ...options, source: makeFile('a.bin', 25) });
    renderWithPorts(<UploadItem upload={upload} onRemove={() => undefined} />, { strict, ports });
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('retries-exhausted');
    expect(alert.textContent).toBe('A part kept failing. Retry to continue from where it stopped.');
    expect(buttons()).toEqual(['Retry a.bin', 'Cancel a.bin']);

    await user.click(screen.getByRole('button', { name: 'Retry a.bin' }));
    expect(await screen.findByText('Uploaded')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it.each([
    ['file-too-large', 'This file is larger than the server allows.'],
    ['type-not-allowed', 'The server does not accept this type of file.'],
    ['fingerprint-mismatch', 'This is not the file the upload started with. Choose the same file again.'],
  ] as const)('shows a %s failure with Remove, not Retry', async (code, message) => {
    const user = userEvent.setup();
    const { ports, upload } = failWith(new TesseraError(code, 'refused', { status: 400 }));
    const onRemove = vi.fn();
    renderWithPorts(<UploadItem upload={upload} onRemove={onRemove} />, { strict, ports });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(message);
    expect(alert.dataset.code).toBe(code);
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(buttons()).toEqual(['Remove a.bin']);
    await user.click(screen.getByRole('button', { name: 'Remove a.bin' }));
    expect(onRemove).toHaveBeenCalledWith(upload);
  });

  it('shows a failure retrying cannot cure with Cancel when there is no onRemove', async () => {
    const { ports, upload } = failWith(new TesseraError('forbidden', 'not yours', { status: 403 }));
    const { container } = renderWithPorts(<UploadItem upload={upload} />, { strict, ports });
    await screen.findByRole('alert');
    expect(buttons()).toEqual(['Cancel a.bin']);
    expect(within(container).queryByRole('button', { name: /^Retry/ })).toBeNull();
  });

  it('lets canRetry offer Retry for a failure the user can cure (signing in again)', async () => {
    const { ports, upload } = failWith(new TesseraError('unauthenticated', 'who are you', { status: 401 }));
    const canRetry = (error: TesseraError) => error.retryable || error.code === 'unauthenticated';
    renderWithPorts(<UploadItem upload={upload} canRetry={canRetry} />, { strict, ports });
    expect((await screen.findByRole('alert')).textContent).toBe('Sign in again to upload.');
    expect(buttons()).toEqual(['Retry a.bin', 'Cancel a.bin']);
  });
});
