'use client';
import { QueryClient, QueryClientContext } from '@tanstack/react-query';
import { useContext, useMemo } from 'react';
import { type TesseraOptions, TesseraContext } from './tesseraContext.js';

/** The shared defaults as hooks use them, from {@link useTessera}. */
export interface TesseraConfig {
  endpoint: string | undefined;
  options: TesseraOptions;
  /** The provider's client, else the app's `QueryClientProvider`'s, else one shared by the page. */
  queryClient: QueryClient;
}

let pageQueryClient: QueryClient | undefined;
const EMPTY: TesseraOptions = {};

// Created on first use, never on import: a page without any provider still gets one client for all hooks.
function fallbackQueryClient(): QueryClient {
  pageQueryClient ??= new QueryClient();
  return pageQueryClient;
}

/**
 * The defaults of the nearest `TesseraProvider` (endpoint, core options, QueryClient). Works without a
 * provider too: no endpoint, no options, and the app's QueryClient or a page-wide one.
 *
 * @example
 * ```ts
 * const { endpoint, queryClient } = useTessera();
 * ```
 */
export function useTessera(): TesseraConfig {
  const context = useContext(TesseraContext);
  const appClient = useContext(QueryClientContext);
  const queryClient = context?.queryClient ?? appClient ?? fallbackQueryClient();
  return useMemo(
    () => ({ endpoint: context?.endpoint, options: context?.options ?? EMPTY, queryClient }),
    [context, queryClient],
  );
}
