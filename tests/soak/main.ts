/**
 * `npm run soak`: the full soak suite (about half an hour) in Debian's Chromium against a store of its own on free
 * ports. Prints one table and writes it to test-results/soak.md and soak.json. `SOAK=short` runs what CI runs,
 * `SOAK_SEED=n` repeats a run, `SOAK_ROWS=R1,R3` runs some rows only.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSwiftStore, stopSwiftStore } from '../../scripts/swiftStore.js';
import { buildTestPage } from '../support/browserPageSetup.js';
import { runSoak } from './runSoak.js';
import { soakConfigFromEnv } from './soakConfig.js';
import { soakMarkdown, writeSoakReport } from './soakReport.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function main(): Promise<void> {
  const config = soakConfigFromEnv(process.env, 'full');
  const storeDir = join(process.cwd(), '.store', `soak-${process.pid}`);
  const pageDir = join(process.cwd(), '.store', `soak-page-${process.pid}`);
  log(`soak (${config.mode}, seed ${config.seed}): building the page, starting a store in ${storeDir}`);
  const stop = async () => {
    await stopSwiftStore(storeDir);
    rmSync(storeDir, { recursive: true, force: true });
    rmSync(pageDir, { recursive: true, force: true });
  };
  // Ctrl-C or `timeout`: stop the store's processes (they would outlive us) before exiting.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }
  try {
    const [store] = await Promise.all([startSwiftStore({ dir: storeDir, bucket: 'tessera-soak' }), buildTestPage(pageDir)]);
    const report = await runSoak({ store, pageDir, config, log });
    process.stdout.write(soakMarkdown(report));
    const name = config.mode === 'full' ? 'soak' : 'soak-short';
    log(`soak: wrote ${writeSoakReport(report, join(process.cwd(), 'test-results'), name)} and ${name}.json`);
    if (!report.rows.every((row) => row.met)) process.exitCode = 1;
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  log(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
