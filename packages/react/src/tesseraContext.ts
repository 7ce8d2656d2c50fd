'use client';
import type { UploadQueueOptions } from '@tessera/core';
import type { QueryClient } from '@tanstack/react-query';
import { createContext } from 'react';

/**
 * Upload options shared by every hook and component below a `TesseraProvider`: concurrency, retry, headers,
 * and the ports (`transport`, `uploader`, `hasher`, `checkpoints`, `network`, `clock`) to replace the
 * browser defaults, e.g. with in-memory fakes in tests.
 */
export type TesseraOptions = Omit<UploadQueueOptions, 'endpoint'>;

/** What `TesseraProvider` shares. */
export interface TesseraDefaults {
  endpoint: string | undefined;
  options: TesseraOptions;
  queryClient: QueryClient | undefined;
}

/** The context `TesseraProvider` fills; read it with `useTessera`. */
export const TesseraContext = createContext<TesseraDefaults | null>(null);
