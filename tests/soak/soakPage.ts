/**
 * The test page as the soak rows work it: wait for an upload to settle without throwing, kill a tab the
 * ways tabs die, open another tab of the same browser profile, and the engine driver's calls the rows use.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { EngineRunOptions, EngineState, FeedOptions } from '../browser/page/engineDriver.js';
import { API_PATH, engineState, untilEngine } from '../support/browserHarness.js';

/** How a tab dies: closed (no unload handler runs), or its renderer crashes (CDP `Page.crash`). */
export type KillHow = 'close' | 'crash';

export interface Settled {
  state: EngineState;
  /** The upload neither completed nor failed in time: it hangs. */
  timedOut: boolean;
}

/** Wait until upload `id` completes or fails; a wait past `timeoutMs` answers with `timedOut` instead of throwing. */
export async function settle(page: Page, id: string, timeoutMs: number): Promise<Settled> {
  try {
    const state = await untilEngine(page, id, "s.status === 'completed' || s.status === 'failed'", timeoutMs);
    return { state, timedOut: false };
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    return { state: await engineState(page, id), timedOut: true };
  }
}

/**
 * Kill the tab. A crash goes through `cdp`, a session opened while the page was still responsive (attaching
 * to a renderer whose main thread is busy would wait for it).
 */
export async function killTab(page: Page, cdp: CDPSession, how: KillHow): Promise<void> {
  if (how === 'crash') {
    const crashed = page.waitForEvent('crash', { timeout: 20_000 });
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
  }
  await page.close();
}

/** Open the test page in another tab of `context` (same storage, same locks) and wait until it is ready. */
export async function openTab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.tesseraPage?.isReady === true);
  return page;
}

/** What the page offers to resume: the unfinished uploads the engine finds in this browser. */
export function offered(page: Page): Promise<Array<{ id: string; fileName: string; parts: number }>> {
  return page.evaluate((endpoint) => window.tesseraPage.engine?.resumable(endpoint) ?? [], API_PATH);
}

/** Bytes the page's uploads put on the wire, summed over every tab of the profile (part bodies, retries included). */
export function bytesSent(page: Page): Promise<number> {
  return page.evaluate(() => window.tesseraPage.engine?.bytesSent() ?? 0);
}

/** Resume the newest unfinished upload with the file picked into the page. */
export function resumeLatest(page: Page, run: EngineRunOptions): Promise<string> {
  return page.evaluate(
    (options) => window.tesseraPage.engine?.resumeLatest(window.tesseraPage.pickedFile(), options) ?? '',
    run,
  );
}

/** Start a recording-like growing source of pattern bytes, uploading as it grows. */
export function startRecording(page: Page, run: EngineRunOptions, feed: FeedOptions): Promise<string> {
  return page.evaluate(([r, f]) => window.tesseraPage.engine?.startRecording(r, f) ?? '', [run, feed] as const);
}

export function pause(page: Page, id: string): Promise<void> {
  return page.evaluate((uploadId) => window.tesseraPage.engine?.pause(uploadId), id);
}

export function resume(page: Page, id: string): Promise<void> {
  return page.evaluate((uploadId) => window.tesseraPage.engine?.resume(uploadId), id);
}

/** Part numbers `page` PUT to the store and got a 200 for, per store upload id (what the browser saw answered). */
export function storedPartsSeen(page: Page): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  page.on('response', (response) => {
    const request = response.request();
    if (request.method() !== 'PUT' || response.status() !== 200) return;
    const params = new URL(request.url()).searchParams;
    const uploadId = params.get('uploadId');
    const partNumber = params.get('partNumber');
    if (uploadId === null || partNumber === null) return;
    seen.set(uploadId, [...(seen.get(uploadId) ?? []), Number(partNumber)]);
  });
  return seen;
}

/** Parts answered 200 more than once in `seen`: a part the engine sent again after it knew it was stored. */
export function partsStoredTwice(seen: ReadonlyMap<string, readonly number[]>): number {
  let twice = 0;
  for (const parts of seen.values()) twice += parts.length - new Set(parts).size;
  return twice;
}
