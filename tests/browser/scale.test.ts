/**
 * One upload at the scale where ListParts pages: 160 MiB in 2,560 parts of 64 KiB, in real Chromium with the
 * engine's browser defaults, through the real handler into a store of its own that accepts 64 KiB parts
 * (Swift's s3api pages ListParts at 1,000). The tab is reloaded mid-way and the upload resumed from its
 * IndexedDB checkpoint. A pass-through proxy between the handler (and the page's part PUTs) and the store
 * counts the S3 requests, so the ListParts pages the resume and the complete read are seen, not assumed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type StoreInfo, startSwiftStore, stopSwiftStore } from '../../scripts/swiftStore.js';
import {
  API_PATH,
  Cleanup,
  emulateNetwork,
  jsHeapUsed,
  launchChromium,
  makeTestFile,
  openTestPage,
  pickFile,
  startEngineUpload,
  startTestApp,
  storedObjectSha256,
  testFilePath,
  untilEngine as until,
} from '../support/browserHarness.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const PART = 64 * KiB;
const SIZE = 160 * MiB;
const PARTS = SIZE / PART;
const CONCURRENCY = 4;
const RELOAD_AT = 1_280;
const dir = join(process.cwd(), '.store', `browser-scale-${process.pid}`);
const cleanup = new Cleanup();
let store: StoreInfo;

beforeAll(async () => {
  store = await startSwiftStore({ dir, bucket: 'scale', minPartSize: PART });
}, 120_000);
afterAll(async () => {
  await stopSwiftStore(dir);
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => cleanup.run());

/** The S3 requests the proxy passed on, as `METHOD path?query` (it faults none). */
async function countingProxy(): Promise<{ proxy: FaultProxy; requests: string[] }> {
  const requests: string[] = [];
  const proxy = await startFaultProxy({
    target: store.endpoint,
    faultRate: 0,
    isFaultable: ({ method, url }) => {
      requests.push(`${method} ${url}`);
      return false;
    },
  });
  return { proxy, requests };
}

/** ListParts requests among `requests` (a GET of the object with `uploadId`), as their page markers. */
function listPartsPages(requests: readonly string[]): Array<string | null> {
  return requests
    .filter((request) => request.startsWith('GET ') && /[?&]uploadId=/.test(request))
    .map((request) => new URL(request.slice(4), 'http://store.invalid').searchParams.get('part-number-marker'));
}

/** Every checkpoint in the page's IndexedDB (the engine's default store), read with the raw API: parts and JSON bytes. */
function storedCheckpoints(page: Page): Promise<Array<{ parts: number; bytes: number }>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tessera');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('checkpoints')) return [];
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('checkpoints', 'readonly').objectStore('checkpoints').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return values.map((value) => ({
        parts: (value as { parts: unknown[] }).parts.length,
        bytes: new Blob([JSON.stringify(value)]).size,
      }));
    } finally {
      db.close();
    }
  });
}

/** The checkpoint once it lists at least `parts` stored parts. */
async function checkpointWith(page: Page, parts: number): Promise<{ parts: number; bytes: number }> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const [checkpoint] = await storedCheckpoints(page);
    if (checkpoint && checkpoint.parts >= parts) return checkpoint;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no checkpoint with ${parts} parts within 30 s`);
}

describe('one upload of 2,560 parts in Chromium', () => {
  it('reloads mid-way, resumes from IndexedDB and completes byte-identical, reading ListParts in pages', async () => {
    const started = performance.now();
    const path = cleanup.file(testFilePath('scale.bin'));
    const sha256 = await makeTestFile(path, SIZE, 21);
    const { proxy, requests } = await countingProxy();
    cleanup.add(proxy, (running) => running.close());
    const browser = cleanup.add(await launchChromium(), (running) => running.close());
    const app = cleanup.add(
      await startTestApp({
        store,
        s3Endpoint: proxy.url,
        handler: { policy: { minPartSize: PART, preferredPartSize: PART } },
      }),
      (running) => running.close(),
    );
    const { page, cdp, pageErrors } = await openTestPage(browser, app);
    await page.evaluate(() => window.tesseraPage.engine?.resetCounters());
    await pickFile(page, path);
    const run = { endpoint: API_PATH, concurrency: CONCURRENCY };
    const first = await startEngineUpload(page, run);

    await until(page, first, 's.doneParts >= 500');
    const heapAt500 = await jsHeapUsed(cdp, { collectGarbage: true });
    const checkpointAt500 = await checkpointWith(page, 500);
    await until(page, first, `s.doneParts >= ${RELOAD_AT}`);
    const heapBeforeReload = await jsHeapUsed(cdp, { collectGarbage: true });
    expect(listPartsPages(requests)).toEqual([]);

    await page.reload(); // the tab dies mid-upload
    await page.waitForFunction(() => window.tesseraPage?.isReady === true);
    const offered = await page.evaluate(() => window.tesseraPage.engine?.resumable('/api/uploads'));
    expect(offered).toHaveLength(1);
    const remembered = offered?.[0]?.parts ?? 0;
    expect(remembered).toBeGreaterThan(1_000);
    const beforeResume = requests.length;
    await pickFile(page, path);
    const second = await page.evaluate(
      (options) => window.tesseraPage.engine?.resumeLatest(window.tesseraPage.pickedFile(), options) ?? '',
      run,
    );
    // Uploading again: the resume's ListParts has been read whole.
    await until(page, second, "s.status === 'uploading' && s.doneParts > 0");
    const resumePages = listPartsPages(requests.slice(beforeResume));
    const afterResume = requests.length;

    // Slow the uplink near 2,500 parts, so the upload is still under way while the figures are read.
    await until(page, second, 's.doneParts >= 2_470');
    await emulateNetwork(cdp, { uploadBytesPerSecond: 512 * KiB });
    await until(page, second, 's.doneParts >= 2_500');
    const heapAt2500 = await jsHeapUsed(cdp, { collectGarbage: true });
    const checkpointAt2500 = await checkpointWith(page, 2_500);
    await emulateNetwork(cdp, {});

    const done = await until(page, second, "s.status === 'completed'");
    const completePages = listPartsPages(requests.slice(afterResume));
    const resent = ((await page.evaluate(() => window.tesseraPage.engine?.bytesSent())) ?? 0) - SIZE;
    const seconds = (performance.now() - started) / 1000;
    const perPart = (checkpointAt2500.bytes - checkpointAt500.bytes) / (checkpointAt2500.parts - checkpointAt500.parts);
    const heap = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
    console.log(
      [
        `scale: ${PARTS} parts of 64 KiB in ${seconds.toFixed(1)} s (file written, reload and resume included)`,
        `  checkpoint: ${checkpointAt500.bytes} bytes at ${checkpointAt500.parts} parts, ${checkpointAt2500.bytes} bytes at ${checkpointAt2500.parts} parts: ${perPart.toFixed(1)} bytes per part`,
        `  JS heap after GC: ${heap(heapAt500)} at 500 parts, ${heap(heapBeforeReload)} at ${RELOAD_AT} (before the reload), ${heap(heapAt2500)} at 2,500 (after it)`,
        `  ListParts pages: resume ${resumePages.length} (markers ${JSON.stringify(resumePages)}) for ${remembered} parts remembered, complete ${completePages.length} (markers ${JSON.stringify(completePages)})`,
        `  re-sent after the reload: ${resent / KiB} KiB (limit ${(CONCURRENCY * PART) / KiB} KiB)`,
      ].join('\n'),
    );

    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256, size: SIZE });
    expect(Buffer.from(done.result?.sha256 ?? '', 'base64').toString('hex')).toBe(sha256);
    expect(done.result?.etag).toMatch(new RegExp(`^[0-9a-f]{32}-${PARTS}$`));
    // The store held more than 1,000 parts at the resume and 2,560 at the complete: each listing read every page.
    expect(resumePages[0]).toBeNull();
    expect(resumePages.length).toBeGreaterThanOrEqual(2);
    expect(resumePages.slice(1)).toEqual(resumePages.slice(1).map((_, index) => String((index + 1) * 1_000)));
    expect(completePages).toEqual([null, '1000', '2000']);
    expect(resent).toBeLessThanOrEqual(CONCURRENCY * PART);
    // Linear in the parts stored and small (a part's number, size, ETag and checksum), not in anything larger.
    expect(perPart).toBeLessThan(200);
    expect(checkpointAt2500.bytes).toBeLessThan(512 * KiB);
    // Generous: the engine holds a record per part; five times as many parts must not mean a heap many times larger.
    expect(heapAt2500).toBeLessThan(Math.max(2 * heapAt500, heapAt500 + 32 * MiB));
    expect(await page.evaluate(() => window.tesseraPage.engine?.resumable('/api/uploads'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
