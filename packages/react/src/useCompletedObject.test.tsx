import { createUpload, type UploadResult } from '@tessera/core';
import { act, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createTestPorts, ENDPOINT, makeFile } from '../test/fakes.js';
import { modes, renderHookWithPorts } from '../test/render.js';
import { useCompletedObject } from './useCompletedObject.js';

describe.each(modes)('useCompletedObject $name', ({ strict }) => {
  it('waits for completion, then gives the stored object (described by the app) as cached server state', async () => {
    const ports = createTestPorts();
    const upload = createUpload({ ...ports.options, endpoint: ENDPOINT, source: makeFile('a.bin', 25) });
    const describe = vi.fn(async (result: UploadResult) => ({ url: `https://cdn.test/${result.key}`, bytes: result.size }));
    const { result, queryClient } = renderHookWithPorts(() => useCompletedObject(upload, { describe, queryName: 'cdn' }), {
      strict,
      ports,
    });
    expect(result.current.status).toBe('pending');
    expect(result.current.fetchStatus).toBe('idle');

    act(() => upload.start());
    await waitFor(() => expect(result.current.data).toEqual({ url: 'https://cdn.test/uploads/1/a.bin', bytes: 25 }));
    expect(describe).toHaveBeenCalledTimes(1);
    expect(queryClient.getQueryData(['tessera', 'object', 'uploads/1/a.bin', 'cdn'])).toEqual(result.current.data);
  });
});
