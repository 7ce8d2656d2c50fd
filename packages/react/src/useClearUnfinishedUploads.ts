'use client';
import { clearUnfinishedUploads, createFetchTransport } from '@tessera/core';
import { useCallback } from 'react';
import { unfinishedUploadsKey } from './useResumableUploads.js';
import { useTessera } from './useTessera.js';

/**
 * A function that forgets the unfinished uploads of the provider's `scope` in this browser (and, with
 * `abort`, aborts them on the server), for a sign-out: the next user of the browser finds nothing of the
 * last one's, and the unfinished list below the provider is emptied. Resolves with the number forgotten.
 * Uploads still running in the page are not stopped: abort them first.
 *
 * @example
 * ```tsx
 * const clear = useClearUnfinishedUploads();
 * const signOut = async () => {
 *   await clear({ abort: true });
 *   await endSession();
 * };
 * ```
 */
export function useClearUnfinishedUploads(): (options?: { abort?: boolean }) => Promise<number> {
  const config = useTessera();
  const { endpoint, queryClient } = config;
  const { scope, checkpoints, transport, headers } = config.options;
  return useCallback(
    async (options = {}) => {
      const abortWith =
        transport ?? (endpoint ? createFetchTransport({ endpoint, ...(headers && { headers }) }) : undefined);
      const forgotten = await clearUnfinishedUploads({
        ...(scope !== undefined && { scope }),
        ...(checkpoints && { checkpoints }),
        ...(options.abort && abortWith && { abort: { transport: abortWith } }),
      });
      await queryClient.invalidateQueries({ queryKey: unfinishedUploadsKey(endpoint, scope) });
      return forgotten;
    },
    [endpoint, queryClient, scope, checkpoints, transport, headers],
  );
}
