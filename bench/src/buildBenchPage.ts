/** Build the bench page (bench/page) with Vite the way the browser tests build theirs. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const PAGE_SOURCE_DIR = fileURLToPath(new URL('../page/', import.meta.url));

/** Build into `outDir` (emptied first): workspace packages from source, no minification, module workers. */
export async function buildBenchPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: PAGE_SOURCE_DIR,
    base: './',
    logLevel: 'warn',
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
      // A slow plugin callback on a busy machine is not worth a warning in the bench's output.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    worker: { format: 'es' },
  });
}
