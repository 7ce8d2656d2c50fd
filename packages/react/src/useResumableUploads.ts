'use client';
import {
  type Checkpoint,
  type CheckpointStore,
  createFetchTransport,
  createIndexedDbCheckpointStore,
  type Transport,
} from '@tessera/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { discardUnfinishedUpload } from './discardUnfinishedUpload.js';
import { listUnfinishedUploads, type UnfinishedUpload } from './listUnfinishedUploads.js';
import { useTessera } from './useTessera.js';

/** Options of {@link useResumableUploads}; each falls back to the `TesseraProvider`'s. */
export interface UseResumableUploadsOptions {
  endpoint?: string;
  checkpoints?: CheckpointStore;
  transport?: Transport;
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** List at all. @default true */
  enabled?: boolean;
}

/** What {@link useResumableUploads} returns. */
export interface ResumableUploadsQuery {
  items: readonly UnfinishedUpload[];
  status: 'pending' | 'error' | 'success';
  error: Error | null;
  isFetching: boolean;
  /** List again (checkpoints and ListParts). */
  refetch(): void;
  /** Abort the upload on the server and forget its checkpoint. */
  discard(checkpoint: Checkpoint): Promise<void>;
}

const NONE: readonly UnfinishedUpload[] = [];

/** The query key of the list for `endpoint` (and `scope`), to invalidate it from elsewhere. */
export const unfinishedUploadsKey = (endpoint: string | undefined, scope?: string) =>
  ['tessera', 'unfinished-uploads', endpoint, scope ?? null] as const;

/**
 * Unfinished uploads this browser remembers, reconciled with the server (TanStack Query: fetched once per
 * endpoint and shared, refetched after a discard or on request).
 *
 * @example
 * ```tsx
 * const { items, discard } = useResumableUploads({ endpoint: '/api/uploads' });
 * ```
 */
export function useResumableUploads(options: UseResumableUploadsOptions = {}): ResumableUploadsQuery {
  const config = useTessera();
  const endpoint = options.endpoint ?? config.endpoint;
  const headers = options.headers ?? config.options.headers;
  const [defaults] = useState(() => ({ checkpoints: createIndexedDbCheckpointStore() }));
  const checkpoints = options.checkpoints ?? config.options.checkpoints ?? defaults.checkpoints;
  const transport =
    options.transport ??
    config.options.transport ??
    createFetchTransport({ endpoint: endpoint ?? '', ...(headers && { headers }) });
  // The provider's scope (its `options.scope`): one user's unfinished uploads only.
  const { scope } = config.options;
  const queryKey = unfinishedUploadsKey(endpoint, scope);
  const { queryClient } = config;
  // Invalidating (unlike `query.refetch`) leaves a disabled query alone.
  const refetch = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: unfinishedUploadsKey(endpoint, scope) }),
    [queryClient, endpoint, scope],
  );
  const query = useQuery(
    {
      queryKey,
      queryFn: ({ signal }) =>
        listUnfinishedUploads({
          endpoint: endpoint ?? '',
          checkpoints,
          transport,
          now: Date.now(),
          signal,
          ...(scope !== undefined && { scope }),
        }),
      enabled: options.enabled !== false && endpoint !== undefined,
      // The list matters after a reload; it changes through this page's own actions, which refetch it.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
    },
    queryClient,
  );
  const discard = useMutation(
    {
      mutationFn: (checkpoint: Checkpoint) => discardUnfinishedUpload(checkpoint, { transport, checkpoints }),
      onSettled: refetch,
    },
    queryClient,
  );
  return {
    items: query.data ?? NONE,
    status: query.status,
    error: query.error,
    isFetching: query.isFetching,
    refetch,
    discard: async (checkpoint) => {
      await discard.mutateAsync(checkpoint);
    },
  };
}
