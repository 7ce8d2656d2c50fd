/**
 * Runs the soak rows one after another in one Chromium against one store, and gathers the report. A row that
 * throws is reported as missed with its error; the others still run.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { StoreInfo } from '../../scripts/swiftStore.js';
import { launchChromium } from '../support/browserHarness.js';
import { faultedUploads } from './r1FaultedUploads.js';
import { tabKills } from './r2TabKills.js';
import { interruptions } from './r3Interruptions.js';
import { expiries } from './r4Expiry.js';
import { staleSweep } from './staleSweep.js';
import { twoTabs } from './twoTabsRow.js';
import type { SoakConfig } from './soakConfig.js';
import type { SoakEnvironment } from './soakEnvironment.js';
import type { SoakReport, SoakRow } from './soakReport.js';

/** The rows, in the order they run. */
const ROWS: ReadonlyArray<{ id: string; run: (env: SoakEnvironment) => Promise<SoakRow | SoakRow[]> }> = [
  { id: 'R1', run: faultedUploads },
  { id: 'R2', run: tabKills },
  { id: 'R3', run: interruptions },
  { id: 'R4', run: expiries },
  { id: 'tabs', run: twoTabs },
  // Last: it also sweeps what the rows before it left open.
  { id: 'GC', run: staleSweep },
];

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

function swiftVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'swift-proxy'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

function failedRow(id: string, error: unknown, seconds: number): SoakRow {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    id,
    scenario: 'the row failed to run',
    runs: 0,
    completed: 0,
    byteIdentical: null,
    leftOpen: null,
    figures: message.split('\n')[0] ?? message,
    target: '–',
    met: false,
    notes: [message.replace(/\n\s*/g, ' ← ')],
    seconds,
    details: { error: message },
  };
}

export async function runSoak(options: {
  store: StoreInfo;
  pageDir: string;
  config: SoakConfig;
  log: (line: string) => void;
}): Promise<SoakReport> {
  const startedAt = new Date();
  const loadAtStart = load();
  const browser = await launchChromium();
  const chromium = browser.version();
  const env: SoakEnvironment = { ...options, browser };
  const rows: SoakRow[] = [];
  try {
    for (const row of ROWS) {
      if (options.config.rows && !options.config.rows.includes(row.id)) continue;
      options.log(`soak: ${row.id}`);
      const begun = performance.now();
      try {
        const result = await row.run(env);
        rows.push(...(Array.isArray(result) ? result : [result]));
      } catch (error) {
        rows.push(failedRow(row.id, error, (performance.now() - begun) / 1000));
      }
      options.log(`soak: ${row.id} done in ${((performance.now() - begun) / 60_000).toFixed(1)} min, load ${load()}`);
    }
  } finally {
    await browser.close();
  }
  const cpu = cpus();
  return {
    mode: options.config.mode,
    seed: options.config.seed,
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    environment: [
      `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; load average (1, 5, 15 min) ${loadAtStart} at the start, ${load()} at the end`,
      `Chromium ${chromium} (Debian's, headless) driven by playwright-core; Node ${process.version}; store: OpenStack Swift ${swiftVersion()} + s3api on loopback, with the real handler of @tessera/server-adapter`,
    ],
    rows,
  };
}
