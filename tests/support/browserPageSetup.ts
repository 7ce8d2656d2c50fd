/**
 * Vitest global setup for the browser project: builds the test page (`tests/browser/page/`) once per run
 * with Vite, resolving workspace packages from source, and provides the output directory as `browserPage`.
 * The build goes under `.store/` (git-ignored) and is removed afterwards.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the built test page (index.html and its assets). */
    browserPage: string;
  }
}

/** Where the page's sources live. */
export const PAGE_SOURCE_DIR = join(process.cwd(), 'tests', 'browser', 'page');

/**
 * Build a page (`root`, default the test page) into `outDir` (emptied first). Fast rather than small: no
 * minification, no source maps. The bench builds its page with this too.
 */
export async function buildTestPage(outDir: string, root = PAGE_SOURCE_DIR): Promise<void> {
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    // The same conditions as the repository's Vitest config: workspace packages resolve to their src/.
    resolve: { conditions: ['@tessera/source', 'module', 'browser', 'development|production'] },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      chunkSizeWarningLimit: 4096,
      // A slow plugin callback on a busy machine is not worth a warning.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    // Module workers (`new Worker(new URL('./x.ts', import.meta.url), { type: 'module' })`) may import
    // shared chunks only as ES modules.
    worker: { format: 'es' },
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = join(process.cwd(), '.store', 'browser-page', String(process.pid));
  await buildTestPage(outDir);
  project.provide('browserPage', outDir);
  return () => rmSync(outDir, { recursive: true, force: true });
}
