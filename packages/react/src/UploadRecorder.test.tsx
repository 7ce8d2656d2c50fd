import type { Upload, UploadResult } from '@tessera/core';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeMedia, createFakeRecordingSources } from '../test/fakes.js';
import { modes, renderWithPorts } from '../test/render.js';
import { UploadRecorder } from './UploadRecorder.js';

const UPLOADED = '[data-tessera="recorder-uploaded"]';

afterEach(() => {
  vi.useRealTimers();
});

describe.each(modes)('UploadRecorder $name', ({ strict }) => {
  it('records the screen while uploading, shows time and bytes, and completes on stop', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date', 'setInterval', 'clearInterval'] });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const { media, recorders, track } = createFakeMedia();
    const { createSource, sources } = createFakeRecordingSources();
    const onUpload = vi.fn<(upload: Upload) => void>();
    const onComplete = vi.fn<(result: UploadResult) => void>();
    renderWithPorts(
      <UploadRecorder media={media} createSource={createSource} onUpload={onUpload} onComplete={onComplete} />,
      { strict },
    );

    await user.click(screen.getByRole('button', { name: 'Record screen' }));
    const stop = await screen.findByRole('button', { name: 'Stop recording' });
    expect(document.activeElement).toBe(stop);
    expect(recorders[0]?.timeslice).toBe(250);
    expect(onUpload.mock.calls[0]?.[0].id).toBe('recording-1');

    const source = sources[0];
    act(() => source?.push(25));
    expect(screen.getByText('25 B recorded')).toBeTruthy();
    // While recording, only full parts (10 B) can be sent.
    await waitFor(() => expect(screen.getByText('20 B uploaded', { selector: UPLOADED })).toBeTruthy());
    act(() => vi.advanceTimersByTime(65_000));
    expect(screen.getByText('1:05')).toBeTruthy();

    await user.click(stop);
    expect(track.stopped).toBe(true);
    await waitFor(() => expect(screen.getByText('Uploaded')).toBeTruthy());
    expect(screen.getByText('25 B uploaded', { selector: UPLOADED })).toBeTruthy();
    expect(screen.getByText(/^Recorded/)).toBeTruthy();
    expect(onComplete).toHaveBeenCalledWith(expect.objectContaining({ key: 'uploads/1/recording.webm', size: 25 }));
    // Focus is back on a record button, ready for the next one.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Record screen' }));
  });

  it('stops when the browser ends the capture (“Stop sharing”)', async () => {
    const user = userEvent.setup();
    const { media, recorders, track } = createFakeMedia();
    const { createSource } = createFakeRecordingSources();
    renderWithPorts(<UploadRecorder media={media} createSource={createSource} kinds={['screen']} />, { strict });
    await user.click(screen.getByRole('button', { name: 'Record screen' }));
    await screen.findByRole('button', { name: 'Stop recording' });
    act(() => track.end());
    expect(recorders[0]?.state).toBe('inactive');
    expect(screen.queryByRole('button', { name: 'Stop recording' })).toBeNull();
  });

  it('says clearly when permission is denied', async () => {
    const user = userEvent.setup();
    const { media } = createFakeMedia({ refuse: 'NotAllowedError' });
    const { createSource } = createFakeRecordingSources();
    renderWithPorts(<UploadRecorder media={media} createSource={createSource} />, { strict });
    await user.click(screen.getByRole('button', { name: 'Record camera' }));
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(alert.textContent).toContain('Permission to record the camera was denied'));
    expect(alert.dataset.code).toBe('permission-denied');
    expect(screen.getByRole('button', { name: 'Record camera' })).toBeTruthy();
  });

  it('says clearly when the browser cannot record', async () => {
    const user = userEvent.setup();
    const { media, requested } = createFakeMedia({ supported: false });
    const { createSource } = createFakeRecordingSources();
    renderWithPorts(<UploadRecorder media={media} createSource={createSource} />, { strict });
    await user.click(screen.getByRole('button', { name: 'Record microphone' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This browser cannot record the microphone.'));
    expect(screen.getByRole('alert').dataset.code).toBe('unsupported');
    expect(requested).toEqual([]);
  });
});
