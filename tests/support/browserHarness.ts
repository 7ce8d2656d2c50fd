/**
 * End-to-end browser tests: Debian's Chromium driven by playwright-core, a page built by Vite, the real
 * upload handler and the real store. This module launches the browser and works the page; the app server
 * and the test files live beside it and are re-exported here.
 */
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import type { EngineRunOptions, EngineState } from '../browser/page/engineDriver.js';
import { DEFAULT_TEST_USER, TEST_USER_COOKIE, type TestApp } from './browserTestApp.js';
import { removeTestFile } from './browserTestFiles.js';

export * from './browserTestApp.js';
export * from './browserTestFiles.js';

/** Debian's Chromium (`apt-get install chromium`); never a browser downloaded by a tool. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, headless, sandbox-less Chromium in a container. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launch Chromium; close it with `browser.close()`.
 * @example
 * const browser = await launchChromium({ extraArgs: ['--use-fake-device-for-media-stream'] });
 */
export function launchChromium(options: { extraArgs?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
  });
}

/** A page of the test app in its own browser context. */
export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** A CDP session attached to the page (network emulation, metrics). */
  cdp: CDPSession;
  /** Uncaught errors and rejections in the page, in order. */
  pageErrors: string[];
  /** Messages the page logged with `console.error` (a failed request logs one too). */
  consoleErrors: string[];
}

/**
 * Open the test app's page in a new context as `user` and wait until `window.tesseraPage` is ready.
 * Closing the context (or the browser) closes the page.
 * @param options.user who the handler sees (a cookie); `null` for an anonymous visitor. @default 'alice'
 */
export async function openTestPage(
  browser: Browser,
  app: TestApp,
  options: { user?: string | null } = {},
): Promise<TestPage> {
  const context = await browser.newContext();
  const user = options.user === undefined ? DEFAULT_TEST_USER : (options.user ?? '');
  await context.addCookies([{ name: TEST_USER_COOKIE, value: user, url: app.origin }]);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(app.url);
  await page.waitForFunction(() => window.tesseraPage !== undefined);
  await page.evaluate(() => window.tesseraPage.ready);
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp, pageErrors, consoleErrors };
}

/**
 * Pick a file from disk into `<input type=file id=file>`, as a user would. Chromium reads it from disk on
 * demand (a 1 GiB file is not loaded into Node's memory nor the page's). Returns the File's name and size.
 */
export async function pickFile(page: Page, path: string): Promise<{ name: string; size: number }> {
  await page.setInputFiles('#file', path);
  return page.evaluate(() => {
    const file = window.tesseraPage.pickedFile();
    return { name: file.name, size: file.size };
  });
}

/** Start uploading the picked file with the page's engine (`window.tesseraPage.engine`); returns the upload's id. */
export function startEngineUpload(page: Page, run: EngineRunOptions): Promise<string> {
  return page.evaluate((options) => window.tesseraPage.engine?.start(window.tesseraPage.pickedFile(), options) ?? '', run);
}

/** The engine's state of upload `id`, as the page sees it now. */
export function engineState(page: Page, id: string): Promise<EngineState> {
  return page.evaluate((uploadId) => {
    const engine = window.tesseraPage.engine;
    if (!engine) throw new Error('engine not loaded');
    return engine.state(uploadId);
  }, id);
}

/**
 * Wait until upload `id` satisfies `predicate`, a JavaScript expression of its state `s` evaluated in the
 * page. A failed upload ends the wait and throws, unless the predicate itself mentions `'failed'`.
 * @example
 * const done = await untilEngine(page, id, "s.status === 'completed'");
 */
export async function untilEngine(page: Page, id: string, predicate: string, timeoutMs = 120_000): Promise<EngineState> {
  await page.waitForFunction(
    ([uploadId, body]) => {
      const current = window.tesseraPage.engine?.state(uploadId);
      if (!current) return false;
      if (current.status === 'failed') return true;
      return new Function('s', `return ${body}`)(current) as boolean;
    },
    [id, predicate] as const,
    { timeout: timeoutMs, polling: 50 },
  );
  const current = await engineState(page, id);
  if (current.status === 'failed' && !predicate.includes("'failed'")) {
    throw new Error(`upload failed: ${JSON.stringify(current.error)}`);
  }
  return current;
}

/**
 * Take the whole context offline or back online: new and in-flight requests (a part PUT midway included)
 * fail at once with `TypeError: Failed to fetch`, in dedicated workers too; `navigator.onLine` and the
 * `offline`/`online` events follow. Do not combine with {@link emulateNetwork} on the same page: once a
 * CDP session of ours has set conditions, Playwright's offline flips `navigator.onLine` but no longer
 * blocks requests (use `emulateNetwork(cdp, { offline: true, ... })` there instead).
 */
export function setOffline(context: BrowserContext, offline: boolean): Promise<void> {
  return context.setOffline(offline);
}

/** Network conditions for {@link emulateNetwork}. */
export interface NetworkConditions {
  /** @default false */
  offline?: boolean;
  /** Added round-trip latency. @default 0 */
  latencyMs?: number;
  /** @default unlimited */
  downloadBytesPerSecond?: number;
  /** @default unlimited */
  uploadBytesPerSecond?: number;
}

/**
 * Emulate network conditions for one page through CDP (throttling, or offline, which fails in-flight
 * requests and those of the page's dedicated workers too); call with `{}` to restore. See {@link setOffline}
 * for why not to mix the two.
 * @example
 * await emulateNetwork(cdp, { uploadBytesPerSecond: 1024 * 1024 }); // a slow uplink
 */
export async function emulateNetwork(cdp: CDPSession, conditions: NetworkConditions): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: conditions.offline ?? false,
    latency: conditions.latencyMs ?? 0,
    downloadThroughput: conditions.downloadBytesPerSecond ?? -1,
    uploadThroughput: conditions.uploadBytesPerSecond ?? -1,
  });
}

/**
 * The renderer's used JS heap in bytes (CDP `Performance.getMetrics` → `JSHeapUsedSize`), optionally after
 * a full garbage collection. It does not count Blob or network buffers outside the JS heap.
 */
export async function jsHeapUsed(cdp: CDPSession, options: { collectGarbage?: boolean } = {}): Promise<number> {
  await cdp.send('Performance.enable');
  if (options.collectGarbage) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize');
  if (used === undefined) throw new Error('Chromium reported no JSHeapUsedSize');
  return used.value;
}

/**
 * Stops what a test started, last first, and reports every failure at the end.
 * @example
 * const cleanup = new Cleanup();
 * afterEach(() => cleanup.run());
 * const browser = cleanup.add(await launchChromium(), (b) => b.close());
 */
export class Cleanup {
  private readonly tasks: Array<() => unknown> = [];

  /** Register `stop(resource)` and return the resource. */
  add<T>(resource: T, stop: (resource: T) => unknown): T {
    this.tasks.push(() => stop(resource));
    return resource;
  }

  /** Register a test file for deletion and return its path. */
  file(path: string): string {
    return this.add(path, removeTestFile);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (let task = this.tasks.pop(); task !== undefined; task = this.tasks.pop()) {
      try {
        await task();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'cleanup failed');
  }
}
