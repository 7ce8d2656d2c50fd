/**
 * Vitest global setup for the e2e project (after tests/support/storeSetup.ts): builds the demo app with
 * `next build` (into apps/demo/.next-e2e; skipped when nothing changed since the last build) and starts it
 * with `next start` on a free port against the run's store. Provides its URL as `demoApp`. What Next.js
 * prints goes to test-results/e2e/demo-app.log.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoApp, demoBuildIsStale, startDemoApp, storeToEnv } from '@tessera/demo';
import type { TestProject } from 'vitest/node';
import { freePorts } from '../../../scripts/swiftStore.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running demo app, e.g. `http://127.0.0.1:PORT`. */
    demoApp: string;
  }
}

/** The demo's secret in the tests (the handler signs tokens and session cookies with it). */
export const E2E_SECRET = 'e2e-demo-secret-0123456789abcdef0123456789';
// Under node_modules/.cache: ignored by git and ESLint, and apart from `npm run demo`'s .next.
const DIST_DIR = 'node_modules/.cache/tessera-demo-e2e';
const LOG_FILE = join(process.cwd(), 'test-results', 'e2e', 'demo-app.log');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const store = project.getProvidedContext().store;
  const env = { ...storeToEnv(store), TESSERA_DEMO_SECRET: E2E_SECRET };
  mkdirSync(join(LOG_FILE, '..'), { recursive: true });
  writeFileSync(LOG_FILE, '');
  const output = (text: string) => appendFileSync(LOG_FILE, text);
  const failed = (error: unknown) => {
    throw new Error(`${String(error)} (see ${LOG_FILE})`);
  };
  if (demoBuildIsStale(DIST_DIR)) {
    const started = Date.now();
    await buildDemoApp({ distDir: DIST_DIR, env, output }).catch(failed);
    console.log(`e2e: next build of the demo took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const [port] = await freePorts(1);
  const app = await startDemoApp(port as number, { distDir: DIST_DIR, env, output }).catch(failed);
  project.provide('demoApp', app.url);
  return () => app.stop();
}
