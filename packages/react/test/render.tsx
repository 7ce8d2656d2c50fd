import { QueryClient } from '@tanstack/react-query';
import { cleanup, render, renderHook, type RenderHookOptions } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { afterEach } from 'vitest';
import { TesseraProvider } from '../src/TesseraProvider.js';
import { createTestPorts, ENDPOINT, type TestPorts } from './fakes.js';

// Vitest runs without globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

/** Both ways hooks and components must work: under StrictMode (effects run twice) and without. */
export const modes = [
  { name: 'without StrictMode', strict: false },
  { name: 'under StrictMode', strict: true },
] as const;

/** A provider with in-memory ports and a fresh QueryClient (no retries), optionally under StrictMode. */
export function wrapperFor(ports: TestPorts, strict = false) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  function Wrapper({ children }: { children?: ReactNode }) {
    const tree = (
      <TesseraProvider endpoint={ENDPOINT} options={ports.options} queryClient={queryClient}>
        {children}
      </TesseraProvider>
    );
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  }
  return { Wrapper, queryClient };
}

/** Render `ui` with fake ports; returns the ports to script and inspect. */
export function renderWithPorts(ui: ReactNode, { strict = false, ports = createTestPorts() } = {}) {
  const { Wrapper, queryClient } = wrapperFor(ports, strict);
  return { ...render(ui, { wrapper: Wrapper }), ports, queryClient };
}

/** Render a hook with fake ports. */
export function renderHookWithPorts<Result, Props>(
  hook: (props: Props) => Result,
  {
    strict = false,
    ports = createTestPorts(),
    ...options
  }: { strict?: boolean; ports?: TestPorts } & RenderHookOptions<Props> = {},
) {
  const { Wrapper, queryClient } = wrapperFor(ports, strict);
  return { ...renderHook(hook, { wrapper: Wrapper, ...options }), ports, queryClient };
}
