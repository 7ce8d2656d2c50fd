import { createUpload } from '@tessera/core';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENDPOINT, makeFile } from '../test/fakes.js';
import { renderWithPorts } from '../test/render.js';
import { describeTotal, ProgressAnnouncer } from './ProgressAnnouncer.js';
import { totalProgress } from './totalProgress.js';
import { useThrottledValue } from './useThrottledValue.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('useThrottledValue', () => {
  it('shows a change after a quiet spell at once, then at most one per interval, ending on the last', () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ value }) => useThrottledValue(value, 1000), {
      initialProps: { value: 'a' },
    });
    rerender({ value: 'b' });
    expect(result.current).toBe('b');
    rerender({ value: 'c' });
    rerender({ value: 'd' });
    expect(result.current).toBe('b');
    act(() => vi.advanceTimersByTime(999));
    expect(result.current).toBe('b');
    act(() => vi.advanceTimersByTime(1));
    expect(result.current).toBe('d');
  });
});

describe('ProgressAnnouncer', () => {
  it('announces how the uploads are going in a polite live region', async () => {
    const view = renderWithPorts(<></>);
    const { ports } = view;
    const uploads = [makeFile('a.bin', 25), makeFile('b.bin', 15)].map((source) =>
      createUpload({ ...ports.options, endpoint: ENDPOINT, source, autoStart: true }),
    );
    view.rerender(<ProgressAnnouncer uploads={uploads} intervalMs={0} />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    await waitFor(() => expect(status.textContent).toBe('2 of 2 files uploaded.'));
  });

  it('describes the total in steps of 5%, with failures and uploads waiting to retry', () => {
    const snapshot = (status: 'uploading' | 'failed' | 'completed', uploadedBytes: number, retrying = false) =>
      ({
        status,
        progress: { uploadedBytes, totalBytes: 100, fraction: uploadedBytes / 100, bytesPerSecond: null, etaSeconds: null },
        parts: [{ partNumber: 1, status: retrying ? 'retrying' : 'uploading', retryAt: retrying ? 5_000 : null }],
      }) as never;
    expect(describeTotal(totalProgress([snapshot('uploading', 43), snapshot('failed', 10)]))).toBe(
      '0 of 2 files uploaded. 1 failed. 25% of 200 B sent.',
    );
    // Said once (the sentence has no countdown in it, so it does not change every second).
    expect(describeTotal(totalProgress([snapshot('uploading', 43, true), snapshot('uploading', 20)]))).toBe(
      '0 of 2 files uploaded. 30% of 200 B sent. 1 waiting to retry.',
    );
    expect(describeTotal(totalProgress([]))).toBe('');
  });
});
