import { createUpload, type Upload } from '@tessera/core';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ENDPOINT, FakeGrowingSource, makeFile, type TestPorts } from '../test/fakes.js';
import { renderWithPorts } from '../test/render.js';
import { progressView } from './progressView.js';
import { totalProgress } from './totalProgress.js';
import { UploadProgress } from './UploadProgress.js';

const start = (ports: TestPorts, source: Blob | FakeGrowingSource): Upload =>
  createUpload({ ...ports.options, endpoint: ENDPOINT, source, autoStart: true });

describe('UploadProgress', () => {
  it('is a progressbar with percent values and a readout, following the upload', async () => {
    const view = renderWithPorts(<></>);
    const { ports } = view;
    ports.uploader.hold = true;
    const upload = start(ports, makeFile('movie.mp4', 40));
    view.rerender(<UploadProgress upload={upload} />);
    const bar = screen.getByRole('progressbar', { name: 'movie.mp4 progress' });
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');

    // Four parts of 10 bytes, each sent halfway while held.
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('50'));
    expect(bar.getAttribute('aria-valuetext')).toMatch(/^50% · 20 B of 40 B/);
    expect(bar.dataset.state).toBe('uploading');
    expect(bar.style.getPropertyValue('--tessera-progress')).toBe('0.5');

    // Pausing stops the parts in flight, but what they had sent stays shown (it is sent again on resume).
    act(() => upload.pause());
    expect(bar.getAttribute('aria-valuetext')).toBe('Paused · 50% · 20 B of 40 B');
    expect(bar.dataset.state).toBe('paused');
    ports.uploader.hold = false;
    act(() => upload.resume());
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('100'));
    await waitFor(() => expect(bar.getAttribute('aria-valuetext')).toBe('Uploaded · 100% · 40 B of 40 B'));
  });

  it('adds up several uploads for a total, and is indeterminate while a size is unknown', async () => {
    const view = renderWithPorts(<></>);
    const { ports } = view;
    ports.uploader.hold = true;
    const recording = new FakeGrowingSource();
    const uploads = [start(ports, makeFile('a.bin', 20)), start(ports, recording)];
    view.rerender(<UploadProgress uploads={uploads} label="All files" />);
    const bar = screen.getByRole('progressbar', { name: 'All files' });
    // Two parts of a.bin half sent; the recording has no bytes yet, so no total is known.
    await waitFor(() => expect(bar.getAttribute('aria-valuetext')).toMatch(/^10 B uploaded/));
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.dataset.indeterminate).toBe('true');

    ports.uploader.hold = false;
    act(() => ports.uploader.release());
    act(() => {
      recording.push(15);
      recording.end();
    });
    // Every byte is stored a little before both uploads are complete: the readout drops the rate only then.
    await waitFor(() => expect(bar.dataset.state).toBe('completed'));
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('100% · 35 B of 35 B');
  });

  it('lets a render prop replace the content but keeps the ARIA values', async () => {
    const view = renderWithPorts(<></>);
    const upload = start(view.ports, makeFile('a.bin', 20));
    view.rerender(<UploadProgress upload={upload}>{({ percent }) => <b>{percent} percent</b>}</UploadProgress>);
    await waitFor(() => expect(screen.getByText('100 percent')).toBeTruthy());
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });
});

describe('progressView', () => {
  const progress = {
    confirmedBytes: 10_000_000,
    inFlightBytes: 2_600_000,
    uploadedBytes: 12_600_000,
    totalBytes: 30_000_000,
    fraction: 0.42,
    bytesPerSecond: 3_100_000,
    etaSeconds: 5.6,
    resendingBytes: 0,
    resets: 0,
    lastReset: null,
  };

  it.each([
    ['uploading', '42% · 12.6 MB of 30 MB · 3.1 MB/s · 6 s left'],
    ['paused', 'Paused · 42% · 12.6 MB of 30 MB'],
    ['offline', 'Waiting for the network · 42% · 12.6 MB of 30 MB'],
    ['failed', 'Failed · 42% · 12.6 MB of 30 MB'],
  ] as const)('reads %s as %s', (status, text) => {
    expect(progressView(progress, status)).toMatchObject({ percent: 42, fraction: 0.42, state: status, text });
  });

  it('shows no time left while parts wait to retry, and says why', () => {
    // Hours: the rate decays while a part waits out its backoff, so the estimate only climbs.
    const stale = { ...progress, bytesPerSecond: 900, etaSeconds: 19_333 };
    const view = progressView(stale, 'uploading', true);
    expect(view.text).toBe('42% · 12.6 MB of 30 MB · 900 B/s · waiting to retry');
    expect(view).toMatchObject({ etaSeconds: null, retrying: true, state: 'uploading' });
    // Not waiting to retry: the estimate is shown again.
    expect(progressView(progress, 'uploading', false)).toMatchObject({ etaSeconds: 5.6, retrying: false });
    // Paused, nothing waits: the status leads and no retry is mentioned.
    expect(progressView(stale, 'paused', true).text).toBe('Paused · 42% · 12.6 MB of 30 MB');
  });

  it('hides the total time left while any upload waits to retry', () => {
    const snapshot = (retrying: boolean) =>
      ({
        status: 'uploading',
        progress: { ...progress, bytesPerSecond: 1_000_000, etaSeconds: 17.4 },
        parts: [{ partNumber: 1, size: 10, status: retrying ? 'retrying' : 'uploading', attempt: 1, reason: null, retryAt: 1 }],
      }) as never;
    const total = totalProgress([snapshot(true), snapshot(false)]);
    expect(total.retrying).toBe(1);
    expect(progressView(total, null, total.retrying > 0).text).toBe(
      '42% · 25.2 MB of 60 MB · 2 MB/s · waiting to retry',
    );
    const moving = totalProgress([snapshot(false), snapshot(false)]);
    expect(progressView(moving, null, moving.retrying > 0).text).toBe('42% · 25.2 MB of 60 MB · 2 MB/s · 18 s left');
  });

  it('never shows 100% before every byte is sent', () => {
    expect(progressView({ ...progress, fraction: 0.9996 }, 'uploading').percent).toBe(99);
  });
});
