'use client';
import type { Upload, UploadResult } from '@tessera/core';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useTessera } from './useTessera.js';
import { useUploadSelector } from './useUploadSelector.js';

/** Options of {@link useCompletedObject}. */
export interface UseCompletedObjectOptions<T> {
  /**
   * Fetch more about the stored object from your own API (a HEAD, a database row), given what complete
   * answered. @default the complete answer itself (`key`, `size`, `etag`, `partCount`, `sha256`)
   */
  describe?: (result: UploadResult) => Promise<T>;
  /** Names what `describe` returns in the cache, when several describers exist. @default 'result' */
  queryName?: string;
}

/**
 * The stored object of a completed upload, as TanStack Query server state (cached by object key, shared by
 * every component that asks). Pending until the upload completes.
 *
 * @example
 * ```tsx
 * const { data } = useCompletedObject(upload, {
 *   describe: async ({ key }) => (await fetch(`/api/files/${encodeURIComponent(key)}`)).json() as Promise<FileInfo>,
 *   queryName: 'file-info',
 * });
 * ```
 */
export function useCompletedObject<T = UploadResult>(
  upload: Upload,
  options: UseCompletedObjectOptions<T> = {},
): UseQueryResult<T, Error> {
  const { queryClient } = useTessera();
  const completed = useUploadSelector(upload, (snapshot) => snapshot.status === 'completed');
  const key = useUploadSelector(upload, (snapshot) => snapshot.key);
  const { describe } = options;
  return useQuery(
    {
      queryKey: ['tessera', 'object', key ?? upload.id, options.queryName ?? 'result'],
      queryFn: async () => {
        const result = await upload.done();
        return describe ? describe(result) : (result as T);
      },
      enabled: completed,
      staleTime: Infinity,
    },
    queryClient,
  );
}
