/**
 * Two tabs of one browser on one upload (as tests/browser/twoTabs.test.ts, counted): the second tab resumes
 * the checkpoint the first is sending, waits (`elsewhere`) and sends nothing, then takes over when the first
 * tab closes. Each part must be stored by one tab, but for those in flight when the first tab went away.
 */
import type { Page, Request } from 'playwright-core';
import type { EngineRunOptions } from '../browser/page/engineDriver.js';
import {
  API_PATH,
  Cleanup,
  emulateNetwork,
  engineState,
  makeTestFile,
  openTestPage,
  pickFile,
  removeTestFile,
  startEngineUpload,
  startTestApp,
  testFilePath,
  untilEngine,
} from '../support/browserHarness.js';
import { MiB, openUploads, sleep, type SoakEnvironment, storedMatches, userPrefix } from './soakEnvironment.js';
import { openTab, resumeLatest, settle } from './soakPage.js';
import type { SoakRow } from './soakReport.js';

const USER = 'soak-tabs';
const PART = 5 * MiB;
const RUN: EngineRunOptions = { endpoint: API_PATH, concurrency: 2 };

/** Part numbers `page` PUT to the store, in order. */
function partPuts(page: Page): number[] {
  const parts: number[] = [];
  page.on('request', (request: Request) => {
    const partNumber = request.method() === 'PUT' ? new URL(request.url()).searchParams.get('partNumber') : null;
    if (partNumber) parts.push(Number(partNumber));
  });
  return parts;
}

interface Round {
  round: number;
  sawElsewhere: boolean;
  sentWhileElsewhere: number;
  storedByFirst: number;
  sentBySecond: number;
  /** Parts both tabs sent. */
  sentByBoth: number;
  status: string;
  identical: boolean;
}

export async function twoTabs(env: SoakEnvironment): Promise<SoakRow> {
  const started = performance.now();
  const cleanup = new Cleanup();
  const { rounds, fileBytes } = env.config.tabs;
  try {
    const app = cleanup.add(
      await startTestApp({ store: env.store, pageDir: env.pageDir, handler: { policy: { preferredPartSize: PART } } }),
      (running) => running.close(),
    );
    const results: Round[] = [];
    for (let round = 0; round < rounds; round++) {
      const path = testFilePath(`soak-tabs-${round}.bin`);
      const sha256 = await makeTestFile(path, fileBytes, 5_000 + round);
      const first = await openTestPage(env.browser, app, { user: USER });
      try {
        // Slow enough that the second tab has time to try.
        await emulateNetwork(first.cdp, { uploadBytesPerSecond: 5 * MiB, latencyMs: 5 });
        const firstPuts = partPuts(first.page);
        await pickFile(first.page, path);
        const firstId = await startEngineUpload(first.page, RUN);
        await untilEngine(first.page, firstId, 's.doneParts >= 3');
        const second = await openTab(first.context, app.url);
        const secondPuts = partPuts(second);
        await pickFile(second, path);
        const secondId = await resumeLatest(second, RUN);
        const sawElsewhere = await untilEngine(second, secondId, "s.status === 'elsewhere'", 10_000).then(
          () => true,
          () => false,
        );
        await sleep(2_000);
        const sentWhileElsewhere = secondPuts.length;
        const storedByFirst = (await engineState(first.page, firstId)).doneParts;
        await first.page.close();
        const { state } = await settle(second, secondId, 300_000);
        const key = state.result?.key;
        const identical = key !== undefined && (await storedMatches(env.store, key, { sha256, size: fileBytes }));
        const both = new Set(firstPuts.filter((part) => secondPuts.includes(part)));
        results.push({
          round,
          sawElsewhere,
          sentWhileElsewhere,
          storedByFirst,
          sentBySecond: secondPuts.length,
          sentByBoth: both.size,
          status: state.status,
          identical,
        });
        env.log(`tabs ${round + 1}/${rounds}: ${JSON.stringify(results.at(-1))}`);
      } finally {
        await first.context.close();
        await removeTestFile(path);
      }
    }
    const leftOpen = await openUploads(env.store, userPrefix(USER));
    const completed = results.filter((r) => r.status === 'completed').length;
    const identical = results.filter((r) => r.identical).length;
    const waited = results.filter((r) => r.sawElsewhere && r.sentWhileElsewhere === 0).length;
    const maxBoth = Math.max(0, ...results.map((r) => r.sentByBoth));
    const inFlight = RUN.concurrency ?? 2;
    return {
      id: 'tabs',
      scenario: `two tabs on one upload, ${rounds} round${rounds === 1 ? '' : 's'} of ${fileBytes / MiB} MiB`,
      runs: rounds,
      completed,
      byteIdentical: identical,
      leftOpen: leftOpen.length,
      figures: `second tab waited as elsewhere and sent nothing: ${waited}/${rounds}; parts sent by both tabs: max ${maxBoth} (the first tab's in flight, ≤ ${inFlight})`,
      target: `100 %, byte-identical, second tab silent while elsewhere, ≤ ${inFlight} parts sent twice, 0 open`,
      met: completed === rounds && identical === rounds && waited === rounds && maxBoth <= inFlight && leftOpen.length === 0,
      notes: results
        .filter((r) => r.status !== 'completed' || !r.identical || !r.sawElsewhere || r.sentWhileElsewhere > 0 || r.sentByBoth > inFlight)
        .map((r) => `round ${r.round}: ${JSON.stringify(r)}`),
      seconds: (performance.now() - started) / 1000,
      details: { results, leftOpen },
    };
  } finally {
    await cleanup.run();
  }
}
