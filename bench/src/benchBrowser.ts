/**
 * One Chromium per measured upload (Debian's, the browser tests' flags), so every contender starts from the
 * same empty browser and the memory of the process tree is that upload's alone.
 */
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/support/browserHarness.js';
import type { BenchApp } from './benchApp.js';
import { chromiumTreeMemory } from './processMemory.js';

export interface BenchSession {
  browser: Browser;
  page: Page;
  cdp: CDPSession;
  /** Uncaught errors in the page, in order. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** For contenders that call the store's CORS-less multipart operations from the page. @default false */
  disableWebSecurity?: boolean;
}

export async function openBenchPage(app: BenchApp, options: OpenOptions = {}): Promise<BenchSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.disableWebSecurity ? ['--disable-web-security'] : [])],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
    // BENCH_DEBUG=1 shows what the page logs (Evaporate's own logging is on then too).
    if (process.env.BENCH_DEBUG) {
      await context.addInitScript(() => localStorage.setItem('bench-debug', '1'));
      page.on('console', (message) => process.stderr.write(`  [page ${message.type()}] ${message.text()}\n`));
      page.on('response', (response) => {
        if (response.status() >= 400) void response.text().then((text) => process.stderr.write(`  [response ${response.status()}] ${text}\n`), () => undefined);
      });
      page.on('requestfinished', (request) => {
        void request.allHeaders().then((headers) => {
          process.stderr.write(`  [request] ${request.method()} ${request.url()} ${JSON.stringify(headers)}\n`);
        });
      });
    }
    await page.goto(app.url);
    await waitReady(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    return { browser, page, cdp, pageErrors, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.benchPage?.isReady === true);
}

/** Pick `path` into `<input id=file>` as a user would; Chromium reads it from disk on demand. */
export async function pickFile(page: Page, path: string): Promise<void> {
  await page.setInputFiles('#file', path);
}

/** Peaks seen by a {@link startSampler} run, and the values before the upload started. */
export interface MemoryPeaks {
  baselineHeapBytes: number;
  peakHeapBytes: number;
  baselineRssBytes: number;
  peakRssBytes: number;
  baselinePssBytes: number;
  peakPssBytes: number;
  samples: number;
}

export interface SamplerOptions {
  /** @default 100 */
  intervalMs?: number;
  /**
   * Force a full garbage collection before each heap reading, so `peakHeapBytes` is of reachable memory only
   * (the upload's own footprint, apart from when V8 chooses to collect). It changes the run, so such runs are
   * not mixed with the others. @default false
   */
  fullGc?: boolean;
}

/** The page's used JS heap now (CDP `Performance.getMetrics` → `JSHeapUsedSize`). */
export async function heapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
}

/**
 * Sample the page's used JS heap (CDP `Performance.getMetrics` → `JSHeapUsedSize`, the main thread's
 * isolate: workers not included) and the browser tree's RSS/PSS every `intervalMs` until `stop()`.
 * The baseline is taken after a full garbage collection, before the upload.
 */
export async function startSampler(
  cdp: CDPSession,
  { intervalMs = 100, fullGc = false }: SamplerOptions = {},
): Promise<{ stop(): Promise<MemoryPeaks> }> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const baselineHeap = await heapUsed(cdp);
  const baselineTree = chromiumTreeMemory();
  const peaks: MemoryPeaks = {
    baselineHeapBytes: baselineHeap,
    peakHeapBytes: baselineHeap,
    baselineRssBytes: baselineTree.rssBytes,
    peakRssBytes: baselineTree.rssBytes,
    baselinePssBytes: baselineTree.pssBytes,
    peakPssBytes: baselineTree.pssBytes,
    samples: 0,
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      if (fullGc) await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
      const heap = await heapUsed(cdp).catch(() => Number.NaN);
      const tree = chromiumTreeMemory();
      if (Number.isFinite(heap)) peaks.peakHeapBytes = Math.max(peaks.peakHeapBytes, heap);
      peaks.peakRssBytes = Math.max(peaks.peakRssBytes, tree.rssBytes);
      peaks.peakPssBytes = Math.max(peaks.peakPssBytes, tree.pssBytes);
      peaks.samples++;
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peaks;
    },
  };
}
