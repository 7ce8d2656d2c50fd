/**
 * R1: many uploads (files of mixed sizes and growing sources) from one Chromium page, with two fault proxies:
 * one in front of the store failing part PUTs, one in front of the app server failing its calls. Every upload
 * must complete byte-identical, with exactly the planned parts, no part stored twice, nothing left open.
 */
import type { EngineRunOptions } from '../browser/page/engineDriver.js';
import {
  API_PATH,
  Cleanup,
  makeTestFile,
  openTestPage,
  pickFile,
  removeTestFile,
  startEngineUpload,
  startTestApp,
  testFilePath,
} from '../support/browserHarness.js';
import { type FaultKind, startFaultProxy } from '../support/faultProxy.js';
import { countsBy, faultLedger } from './faultLedger.js';
import {
  deleteStored,
  inPool,
  MiB,
  mutex,
  openUploads,
  patternSha256,
  seededStream,
  type SoakEnvironment,
  storedMatches,
  userPrefix,
} from './soakEnvironment.js';
import { partsStoredTwice, settle, startRecording, storedPartsSeen } from './soakPage.js';
import type { SoakRow } from './soakReport.js';

const USER = 'soak-r1';
const APP_FAULTS: readonly FaultKind[] = ['reset-mid-body', 'status-500', 'status-503', 'status-429', 'stall', 'reset-before-response'];
const RECORDING_CHUNK = 256 * 1024;
const CREATE_PATH = `${API_PATH}/v1/uploads`;

/** Short deadlines and retries, so a stalled call or part costs seconds, not the defaults' minutes. */
const RUN: EngineRunOptions = {
  endpoint: API_PATH,
  concurrency: 4,
  stallTimeoutMs: 5_000,
  retry: { baseMs: 200, capMs: 5_000, maxAttempts: 12 },
  serverTimeouts: { create: 10_000, sign: 5_000, list: 5_000, complete: 30_000, abort: 5_000 },
  serverRetry: { baseMs: 200, capMs: 5_000 },
};

interface Planned {
  index: number;
  size: number;
  growing: boolean;
  seed: number;
}

interface Outcome extends Planned {
  status: string;
  timedOut: boolean;
  error: string | null;
  identical: boolean;
  /** Parts in the completed object (its ETag's `-N`), the engine's plan, and size ÷ part size. */
  partsStored: number | null;
  partsPlanned: number;
  partsExpected: number;
  ms: number;
}

/** Sizes drawn log-uniformly between the bounds (the first two are the bounds); every n-th is a growing source. */
function plan(env: SoakEnvironment): Planned[] {
  const { r1 } = env.config;
  const random = seededStream(env, 'r1-sizes');
  return Array.from({ length: r1.uploads }, (_, index) => {
    const drawn = Math.round(Math.exp(Math.log(r1.minBytes) + random() * Math.log(r1.maxBytes / r1.minBytes)));
    const growing = index % r1.growingEvery === r1.growingEvery - 1;
    const size = index === 0 ? r1.minBytes : index === 1 ? r1.maxBytes : drawn;
    return { index, size: growing ? Math.min(size, r1.maxGrowingBytes) : size, growing, seed: 1_000 + index };
  });
}

export async function faultedUploads(env: SoakEnvironment): Promise<SoakRow> {
  const { r1 } = env.config;
  const started = performance.now();
  const cleanup = new Cleanup();
  try {
    const puts = faultLedger({
      seed: env.config.seed ^ 0x5107e,
      faultEvery: r1.putFaultEvery,
      isFaultable: ({ method, url }) => method === 'PUT' && url.includes('partNumber='),
    });
    const storeProxy = cleanup.add(
      await startFaultProxy({ target: env.store.endpoint, stallMs: 60_000, ...puts.proxyOptions }),
      (proxy) => proxy.close(),
    );
    const app = cleanup.add(
      await startTestApp({
        store: env.store,
        pageDir: env.pageDir,
        s3Endpoint: storeProxy.url,
        handler: { policy: { preferredPartSize: r1.partSize } },
      }),
      (running) => running.close(),
    );
    const calls = faultLedger({
      seed: env.config.seed ^ 0xa99,
      faultEvery: r1.appFaultEvery,
      kinds: APP_FAULTS,
      isFaultable: ({ url }) => url.startsWith(`${API_PATH}/`),
    });
    const appProxy = cleanup.add(
      await startFaultProxy({ target: app.origin, stallMs: 60_000, retryAfterSeconds: 1, ...calls.proxyOptions }),
      (proxy) => proxy.close(),
    );
    // The page is served through the app's proxy too, so its calls to the handler are same-origin and faulted.
    const tab = await openTestPage(env.browser, { ...app, url: `${appProxy.url}/`, origin: appProxy.url }, { user: USER });
    cleanup.add(tab.context, (context) => context.close());
    const seen = storedPartsSeen(tab.page);
    const pickAndStart = mutex();

    const uploads = plan(env);
    const outcomes = await inPool(uploads, r1.parallel, async (item): Promise<Outcome> => {
      const begun = performance.now();
      const path = testFilePath(`soak-r1-${item.index}.bin`);
      try {
        let expected: { sha256: string; size: number };
        let id: string;
        if (item.growing) {
          const feed = { seed: item.seed, chunkBytes: RECORDING_CHUNK, intervalMs: 10, totalBytes: item.size };
          expected = { sha256: patternSha256(item.seed, RECORDING_CHUNK, item.size), size: item.size };
          id = await startRecording(tab.page, RUN, feed);
        } else {
          expected = { sha256: await makeTestFile(path, item.size, item.seed), size: item.size };
          id = await pickAndStart(async () => {
            await pickFile(tab.page, path);
            return startEngineUpload(tab.page, RUN);
          });
        }
        const { state, timedOut } = await settle(tab.page, id, 20 * 60_000 + (item.size / MiB) * 1_000);
        const key = state.result?.key;
        const identical = key !== undefined && (await storedMatches(env.store, key, expected));
        if (key !== undefined) await deleteStored(env.store, key);
        const partsStored = state.result ? Number(/-(\d+)$/.exec(state.result.etag.replace(/"/g, ''))?.[1] ?? NaN) : null;
        env.log(`R1 ${item.index + 1}/${uploads.length}: ${(item.size / MiB).toFixed(1)} MiB${item.growing ? ' growing' : ''} ${state.status}${identical ? ', byte-identical' : ''}`);
        return {
          ...item,
          status: state.status,
          timedOut,
          error: state.error && `${state.error.code}: ${state.error.message}`,
          identical,
          partsStored,
          partsPlanned: state.parts.length,
          partsExpected: Math.ceil(item.size / r1.partSize),
          ms: performance.now() - begun,
        };
      } finally {
        await removeTestFile(path);
      }
    });

    for (const [name, proxy, ledger] of [['store', storeProxy, puts], ['app', appProxy, calls]] as const) {
      const stats = proxy.stats();
      if (stats.totalFaults !== ledger.entries().length || stats.faultable !== ledger.faultable()) {
        throw new Error(`the ${name} proxy's ledger is off: ${JSON.stringify(stats)} vs ${ledger.entries().length} of ${ledger.faultable()}`);
      }
    }
    const leftOpen = await openUploads(env.store, userPrefix(USER));
    const serverRetries = (await tab.page.evaluate(() => window.tesseraPage.engine?.serverRetries())) ?? [];
    const twice = partsStoredTwice(seen);
    const completed = outcomes.filter((outcome) => outcome.status === 'completed');
    const identical = outcomes.filter((outcome) => outcome.identical).length;
    // A file's plan is its size over the part size; a growing source's is what the engine planned as it grew.
    const partsOff = completed.filter(
      (o) => o.partsStored !== o.partsPlanned || (!o.growing && o.partsPlanned !== o.partsExpected),
    );
    const putFaults = puts.effective();
    const callFaults = calls.effective();
    const putRate = putFaults.length / Math.max(1, puts.faultable());
    const callRate = callFaults.length / Math.max(1, calls.faultable());
    const lostCreates = callFaults.filter((f) => f.method === 'POST' && f.path === CREATE_PATH && f.kind === 'reset-before-response');
    const bytes = uploads.reduce((sum, upload) => sum + upload.size, 0);
    const ms = performance.now() - started;
    const callName = (path: string) => (path === CREATE_PATH ? 'create' : (path.split('/').pop() ?? path));

    const notes = [
      `faulted part PUTs by kind: ${countsBy(putFaults, (f) => f.kind)}; app-server calls by call: ${countsBy(callFaults, (f) => callName(f.path))}, by kind: ${countsBy(callFaults, (f) => f.kind)}`,
      `the engine retried ${serverRetries.length} server calls (${countsBy(serverRetries, (r) => `${r.call} ${r.code}`)}); the other faulted calls did not reach it as failures (Chromium's network stack resends a request itself when a reused keep-alive connection is reset before an answer)`,
      `${uploads.filter((u) => u.growing).length} growing sources; ${(bytes / 2 ** 30).toFixed(1)} GiB in ${(ms / 60_000).toFixed(1)} min; ${r1.parallel} uploads at a time, concurrency ${RUN.concurrency}, ${r1.partSize / MiB} MiB parts; stall timeout 5 s, server deadlines 5–30 s`,
      ...outcomes
        .filter((o) => o.status !== 'completed' || !o.identical)
        .map((o) => `upload ${o.index} (${o.size} bytes${o.growing ? ', growing' : ''}): ${o.timedOut ? 'hung, ' : ''}${o.status}${o.error ? ` (${o.error})` : ''}${o.status === 'completed' ? ', stored bytes differ' : ''}`),
      ...partsOff.map((o) => `upload ${o.index}: ${o.partsStored} parts stored, ${o.partsPlanned} planned, ${o.partsExpected} by size`),
      ...(leftOpen.length > 0
        ? [`left open: ${leftOpen.join('; ')} — ${lostCreates.length} create answer(s) were cut off after the server had created the upload (reset-before-response), so the engine created another and never knew the first`]
        : []),
    ];
    return {
      id: 'R1',
      scenario: `${uploads.length} uploads, ${(r1.minBytes / MiB).toFixed(0)} MiB–${(r1.maxBytes / MiB).toFixed(0)} MiB, faulted PUTs and app calls`,
      runs: uploads.length,
      completed: completed.length,
      byteIdentical: identical,
      leftOpen: leftOpen.length,
      figures:
        `faults: ${(putRate * 100).toFixed(1)} % of ${puts.faultable()} part PUTs, ${(callRate * 100).toFixed(1)} % of ${calls.faultable()} app calls; ` +
        `parts stored twice ${twice}, parts off plan ${partsOff.length}; ${serverRetries.length} server calls retried`,
      target: '100 %, byte-identical, 0 duplicate/missing parts, 0 open; faults ≥ 20 % PUTs, ≥ 10 % calls',
      met:
        completed.length === uploads.length &&
        identical === uploads.length &&
        twice === 0 &&
        partsOff.length === 0 &&
        leftOpen.length === 0 &&
        putRate >= 0.2 &&
        callRate >= 0.1,
      notes,
      seconds: ms / 1000,
      details: { outcomes, putFaults: putFaults.length, putFaultable: puts.faultable(), callFaults, callFaultable: calls.faultable(), leftOpen, partsStoredTwice: twice, serverRetries: serverRetries.length },
    };
  } finally {
    await cleanup.run();
  }
}
