/** Build the bench page (bench/page) with Vite, the way the browser tests build theirs. */
import { fileURLToPath } from 'node:url';
import { buildTestPage } from '../../tests/support/browserPageSetup.js';

const PAGE_SOURCE_DIR = fileURLToPath(new URL('../page/', import.meta.url));

/** Build into `outDir` (emptied first): workspace packages from source, no minification, module workers. */
export function buildBenchPage(outDir: string): Promise<void> {
  return buildTestPage(outDir, PAGE_SOURCE_DIR);
}
