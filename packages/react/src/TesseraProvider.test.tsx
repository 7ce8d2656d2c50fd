import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import '../test/render.js';
import { TesseraProvider } from './TesseraProvider.js';
import { useMultipartUpload } from './useMultipartUpload.js';
import { useTessera } from './useTessera.js';

const read = () => ({ tessera: useTessera(), queryClient: useQueryClient() });

describe('TesseraProvider', () => {
  it('shares the endpoint and core options, and provides a QueryClient when the app has none', () => {
    const options = { concurrency: 2 };
    const { result } = renderHook(read, {
      wrapper: ({ children }: { children?: ReactNode }) => (
        <TesseraProvider endpoint="/api/uploads" options={options}>
          {children}
        </TesseraProvider>
      ),
    });
    expect(result.current.tessera.endpoint).toBe('/api/uploads');
    expect(result.current.tessera.options).toBe(options);
    expect(result.current.queryClient).toBeInstanceOf(QueryClient);
    expect(result.current.tessera.queryClient).toBe(result.current.queryClient);
  });

  it("uses the app's QueryClient when there is one, and a queryClient prop over both", () => {
    const app = new QueryClient();
    const own = new QueryClient();
    const appOnly = renderHook(read, {
      wrapper: ({ children }: { children?: ReactNode }) => (
        <QueryClientProvider client={app}>
          <TesseraProvider>{children}</TesseraProvider>
        </QueryClientProvider>
      ),
    });
    expect(appOnly.result.current.tessera.queryClient).toBe(app);
    expect(appOnly.result.current.queryClient).toBe(app);

    const withProp = renderHook(read, {
      wrapper: ({ children }: { children?: ReactNode }) => (
        <QueryClientProvider client={app}>
          <TesseraProvider queryClient={own}>{children}</TesseraProvider>
        </QueryClientProvider>
      ),
    });
    expect(withProp.result.current.tessera.queryClient).toBe(own);
    expect(withProp.result.current.queryClient).toBe(own);
  });

  it('works without any provider: a page-wide QueryClient, and a clear error when no endpoint is known', () => {
    const { result } = renderHook(useTessera);
    expect(result.current.queryClient).toBeInstanceOf(QueryClient);
    expect(renderHook(useTessera).result.current.queryClient).toBe(result.current.queryClient);

    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => renderHook(() => useMultipartUpload())).toThrow(
      expect.objectContaining({ name: 'TesseraError', code: 'invalid-field', field: 'endpoint' }),
    );
    vi.restoreAllMocks();
  });
});
