/**
 * One upload, one tab, in real Chromium with real Web Locks: a second tab of the same browser that resumes the
 * upload another tab is sending waits ("elsewhere") and sends nothing, then takes over when the first tab
 * closes, and the object is byte-identical with each part stored by one tab only.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import {
  API_PATH,
  Cleanup,
  emulateNetwork,
  engineState as state,
  launchChromium,
  makeTestFile,
  openTestPage,
  pickFile,
  startEngineUpload as start,
  startTestApp,
  storedObjectSha256,
  testFilePath,
  untilEngine as until,
} from '../support/browserHarness.js';
import type { EngineRunOptions } from './page/engineDriver.js';

const MiB = 1024 * 1024;
const store = inject('store');
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const run = (options: Partial<EngineRunOptions> = {}): EngineRunOptions => ({ endpoint: API_PATH, ...options });

/** Part numbers a page PUT to the store, in order. */
function partPuts(page: Page): number[] {
  const parts: number[] = [];
  page.on('request', (request: Request) => {
    if (request.method() !== 'PUT') return;
    const partNumber = new URL(request.url()).searchParams.get('partNumber');
    if (partNumber) parts.push(Number(partNumber));
  });
  return parts;
}

describe('one upload, one tab (Chromium)', () => {
  it('a second tab waits while the first sends, sends nothing, and takes over when the first tab closes', async () => {
    const browser = cleanup.add(await launchChromium(), (started) => started.close());
    const app = cleanup.add(await startTestApp({ store, handler: { policy: { preferredPartSize: 5 * MiB } } }), (running) =>
      running.close(),
    );
    const path = cleanup.file(testFilePath('two-tabs.bin'));
    const size = 60 * MiB;
    const sha256 = await makeTestFile(path, size, 21);

    const first = await openTestPage(browser, app);
    // Slow enough that the second tab has time to try: about 40 Mbit/s.
    await emulateNetwork(first.cdp, { downloadBytesPerSecond: 50 * MiB, uploadBytesPerSecond: 5 * MiB, latencyMs: 5 });
    const firstPuts = partPuts(first.page);
    await pickFile(first.page, path);
    const firstId = await start(first.page, run({ concurrency: 2 }));
    await until(first.page, firstId, 's.doneParts >= 3');

    // A second tab of the same browser (same storage, same locks) finds the checkpoint and resumes it.
    const page = await first.context.newPage();
    await page.goto(app.url);
    await page.waitForFunction(() => window.tesseraPage?.isReady === true);
    const secondPuts = partPuts(page);
    await pickFile(page, path);
    const secondId = await page.evaluate(
      (options) => window.tesseraPage.engine?.resumeLatest(window.tesseraPage.pickedFile(), options) ?? '',
      run({ concurrency: 2 }),
    );
    await until(page, secondId, "s.status === 'elsewhere'", 10_000);
    await new Promise((done) => setTimeout(done, 2_000));
    expect((await state(page, secondId)).status).toBe('elsewhere');
    expect(secondPuts).toEqual([]);
    expect((await state(first.page, firstId)).status).toBe('uploading');

    // The first tab closes: its lock goes with it, and the second takes over.
    const storedByFirst = (await state(first.page, firstId)).doneParts;
    await first.page.close();
    const done = await until(page, secondId, "s.status === 'completed'", 120_000);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256, size });
    const partCount = Math.ceil(size / (5 * MiB));
    // Every part was stored; the second tab sent only what the first had not stored (those in flight included).
    expect(new Set([...firstPuts, ...secondPuts]).size).toBe(partCount);
    expect(secondPuts.length).toBeLessThanOrEqual(partCount - storedByFirst);
    console.log(
      `two tabs: first stored ${storedByFirst} of ${partCount} parts, second sent ${secondPuts.length} (${new Set(secondPuts).size} distinct)`,
    );
  });
});
