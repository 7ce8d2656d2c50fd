'use client';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useContext, useMemo, useState } from 'react';
import { type TesseraDefaults, type TesseraOptions, TesseraContext } from './tesseraContext.js';

/** Props of {@link TesseraProvider}. */
export interface TesseraProviderProps {
  /** Where `@tessera/server-adapter` is mounted, e.g. `/api/uploads`; hooks and components may override it. */
  endpoint?: string;
  /** Core options for every upload below (concurrency, retry, headers, ports). @default {} */
  options?: TesseraOptions;
  /**
   * The QueryClient for the resumable-uploads list and completed objects. @default the app's
   * `QueryClientProvider` client if there is one, else a new one the provider creates and provides.
   */
  queryClient?: QueryClient;
  children?: ReactNode;
}

/**
 * Shares upload defaults with every Tessera hook and component below it, and provides a QueryClient when
 * the app has none.
 *
 * @example
 * ```tsx
 * <TesseraProvider endpoint="/api/uploads" options={{ concurrency: 6, headers: () => ({ 'x-csrf': token }) }}>
 *   <ResumableUpload />
 * </TesseraProvider>
 * ```
 */
export function TesseraProvider({ endpoint, options, queryClient, children }: TesseraProviderProps) {
  const appClient = useContext(QueryClientContext);
  // Created once, and only when neither a prop nor the app provides a client.
  const [ownClient] = useState(() => (queryClient ?? appClient ? undefined : new QueryClient()));
  const client = queryClient ?? appClient ?? ownClient;
  const value = useMemo<TesseraDefaults>(
    () => ({ endpoint, options: options ?? {}, queryClient: client }),
    [endpoint, options, client],
  );
  const content = <TesseraContext.Provider value={value}>{children}</TesseraContext.Provider>;
  if (client === undefined || client === appClient) return content;
  return <QueryClientProvider client={client}>{content}</QueryClientProvider>;
}
