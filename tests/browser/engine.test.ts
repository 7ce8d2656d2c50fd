/**
 * The engine in real Chromium with its browser defaults (XHR part uploads, hashing in a worker, IndexedDB
 * checkpoints, the browser's network events), through the real handler into the real store.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createS3Gateway, type S3ClientConfig, type S3Gateway } from '@tessera/server-adapter';
import {
  API_PATH,
  Cleanup,
  engineState as state,
  launchChromium,
  makeTestFile,
  openTestPage,
  pickFile,
  setOffline,
  startEngineUpload as start,
  startTestApp,
  storedObjectSha256,
  type TestAppOptions,
  testFilePath,
  untilEngine as until,
} from '../support/browserHarness.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { handlerOptions } from '../support/uploadServer.js';
import type { EngineRunOptions } from './page/engineDriver.js';
import { patternChunk } from '../support/pattern.js';

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const store = inject('store');
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function openApp(app: Omit<TestAppOptions, 'store'> = {}) {
  const browser = cleanup.add(await launchChromium(), (started) => started.close());
  const started = cleanup.add(await startTestApp({ store, ...app }), (running) => running.close());
  return { app: started, browser, ...(await openTestPage(browser, started)) };
}

async function testFile(label: string, size: number, seed: number) {
  const path = cleanup.file(testFilePath(`${label}.bin`));
  return { path, size, sha256: await makeTestFile(path, size, seed) };
}

const run = (options: Partial<EngineRunOptions> = {}): EngineRunOptions => ({ endpoint: API_PATH, ...options });

const completed = (page: Page, id: string, timeoutMs?: number) => until(page, id, "s.status === 'completed'", timeoutMs);

describe('the engine in Chromium against the real store', () => {
  it.each([
    { label: '64 MiB', size: 64 * MiB },
    { label: '1 GiB', size: 1024 * MiB },
  ])('uploads $label byte-identical, hashing in a worker', async ({ label, size }) => {
    const file = await testFile(`engine-${size}`, size, 5);
    const { page, pageErrors } = await openApp();
    await pickFile(page, file.path);
    const started = performance.now();
    const id = await start(page, run());
    const done = await completed(page, id, 600_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(`engine (Chromium): ${label} in ${seconds.toFixed(1)} s, ${(size / 1e6 / seconds).toFixed(0)} MB/s`);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size });
    expect(Buffer.from(done.result?.sha256 ?? '', 'base64').toString('hex')).toBe(file.sha256);
    expect(done.result?.etag).toMatch(new RegExp(`-${Math.ceil(size / PART)}$`));
    expect(await page.evaluate(() => window.tesseraPage.engine?.hashWorkerLoaded())).toBe(true);
    // The default checkpoint store is opened when the upload is created, not on its first save mid-upload.
    expect(await page.evaluate(() => window.tesseraPage.engine?.checkpointStoreBeforeFirstPut())).toBe(true);
    expect(await page.evaluate(() => window.tesseraPage.engine?.resumable('/api/uploads'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('pauses for 10 s and resumes to a byte-identical object', async () => {
    const file = await testFile('pause', 128 * MiB, 6);
    const { page } = await openApp();
    await pickFile(page, file.path);
    const id = await start(page, run({ concurrency: 2 }));
    await until(page, id, 's.doneParts >= 2');
    await page.evaluate((uploadId) => window.tesseraPage.engine?.pause(uploadId), id);
    const paused = await state(page, id);
    expect(paused.status).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const later = await state(page, id);
    expect(later.status).toBe('paused');
    expect(later.doneParts).toBe(paused.doneParts);
    await page.evaluate((uploadId) => window.tesseraPage.engine?.resume(uploadId), id);
    const done = await completed(page, id);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size: file.size });
  });

  it('resumes after a reload from its checkpoint, re-sending at most concurrency × part size', async () => {
    const file = await testFile('reload', 256 * MiB, 7);
    const { page } = await openApp();
    await page.evaluate(() => window.tesseraPage.engine?.resetCounters());
    await pickFile(page, file.path);
    const first = await start(page, run({ concurrency: 4 }));
    await until(page, first, 's.doneParts >= 12');
    await page.reload();
    await page.waitForFunction(() => window.tesseraPage?.isReady === true);
    const offered = await page.evaluate(() => window.tesseraPage.engine?.resumable('/api/uploads'));
    expect(offered).toHaveLength(1);
    expect(offered?.[0]?.fileName).toMatch(/reload\.bin$/);
    await pickFile(page, file.path);
    const second = await page.evaluate(
      (options) => window.tesseraPage.engine?.resumeLatest(window.tesseraPage.pickedFile(), options) ?? '',
      run({ concurrency: 4 }),
    );
    const done = await completed(page, second);
    const sent = await page.evaluate(() => window.tesseraPage.engine?.bytesSent() ?? 0);
    const resent = sent - file.size;
    console.log(`reload: ${(resent / MiB).toFixed(0)} MiB re-sent (limit ${(4 * PART) / MiB} MiB)`);
    expect(resent).toBeLessThanOrEqual(4 * PART);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size: file.size });
  });

  it('goes offline with the network for 10 s and completes on its own when it is back', async () => {
    const file = await testFile('offline', 128 * MiB, 8);
    const { page, context } = await openApp();
    await pickFile(page, file.path);
    const id = await start(page, run({ concurrency: 2 }));
    await until(page, id, 's.doneParts >= 2');
    await setOffline(context, true);
    await until(page, id, "s.status === 'offline'", 10_000);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect((await state(page, id)).status).toBe('offline');
    await setOffline(context, false);
    const done = await completed(page, id);
    expect(done.history).toContain('offline');
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size: file.size });
  });

  it('completes byte-identical through a proxy failing a quarter of the part PUTs (resets, 5xx, stalls)', async () => {
    const proxy = cleanup.add(await startFaultProxy({ target: store.endpoint, faultRate: 0.25, seed: 7, stallMs: 60_000 }), (p) =>
      p.close(),
    );
    const file = await testFile('faults', 160 * MiB, 9);
    const { page } = await openApp({ s3Endpoint: proxy.url, handler: { policy: { preferredPartSize: 5 * MiB } } });
    await pickFile(page, file.path);
    const id = await start(page, run({ stallTimeoutMs: 3_000, retry: { baseMs: 200, capMs: 2_000, maxAttempts: 12 } }));
    const done = await completed(page, id, 300_000);
    const stats = proxy.stats();
    console.log(`faults: ${stats.totalFaults} of ${stats.faultable} part PUTs ${JSON.stringify(stats.faults)}`);
    expect(stats.totalFaults / stats.faultable).toBeGreaterThanOrEqual(0.2);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size: file.size });
  });

  it('re-signs after pauses longer than a 5 s URL lifetime', async () => {
    const file = await testFile('ttl', 96 * MiB, 10);
    // Every URL the handler signs, and when.
    const signed: Array<{ partNumber: number; at: number }> = [];
    const gateway = createS3Gateway(handlerOptions(store).s3 as S3ClientConfig, store.bucket);
    const counting: S3Gateway = {
      ...gateway,
      presignUploadPart(input) {
        signed.push({ partNumber: input.partNumber, at: Date.now() });
        return gateway.presignUploadPart(input);
      },
    };
    const { page, app } = await openApp({ handler: { urlTtlSeconds: 5, gateway: counting } });
    const signRequests = () => app.apiCalls.filter((call) => call.path.endsWith('/sign'));
    await pickFile(page, file.path);
    const id = await start(page, run({ concurrency: 2 }));
    const pauses: Array<{ pending: number[]; resumedAt: number }> = [];
    for (const parts of [2, 5]) {
      await until(page, id, `s.doneParts >= ${parts}`);
      await page.evaluate((uploadId) => window.tesseraPage.engine?.pause(uploadId), id);
      const pausedAt = Date.now();
      const stored = new Set((await state(page, id)).parts.filter((p) => p.status === 'done').map((p) => p.partNumber));
      // Signed before the pause and not stored: their URLs are dead once the pause outlasts them.
      const pending = [...new Set(signed.filter((url) => url.at <= pausedAt).map((url) => url.partNumber))]
        .filter((partNumber) => !stored.has(partNumber))
        .sort((a, b) => a - b);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // a sign request under way may still finish
      const signsWhilePaused = signRequests().length;
      const urlsWhilePaused = signed.length;
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      expect(signRequests().length).toBe(signsWhilePaused);
      expect(signed.length).toBe(urlsWhilePaused);
      pauses.push({ pending, resumedAt: Date.now() });
      await page.evaluate((uploadId) => window.tesseraPage.engine?.resume(uploadId), id);
    }
    const done = await completed(page, id);
    const signs = signRequests();
    const resigned = pauses.reduce((sum, pause) => sum + pause.pending.length, 0);
    console.log(
      `ttl: ${signs.length} sign requests for 12 parts, ${signed.length} URLs signed; pending at the pauses: ${pauses.map((pause) => JSON.stringify(pause.pending)).join(', ')}`,
    );
    // Every part pending at a pause gets a fresh URL after it: the engine re-signs before sending, so the
    // store never sees an expired URL (the only failed PUTs are those the pauses aborted).
    for (const { pending, resumedAt } of pauses) {
      expect(pending.length).toBeGreaterThan(0);
      for (const partNumber of pending) {
        expect(signed.some((url) => url.partNumber === partNumber && url.at >= resumedAt)).toBe(true);
      }
    }
    expect(signed.length).toBeGreaterThanOrEqual(12 + resigned);
    // At least one sign request before the first pause and after each; each answered, each signing a URL at least.
    expect(signs.length).toBeGreaterThanOrEqual(1 + pauses.length);
    expect(signs.length).toBeLessThanOrEqual(signed.length);
    expect(signs.every((call) => call.status === 200)).toBe(true);
    const puts = (await page.evaluate(() => window.tesseraPage.engine?.putLog())) ?? [];
    expect(puts.filter((put) => !put.ok).map((put) => put.failure)).toEqual(
      puts.filter((put) => !put.ok).map(() => 'aborted'),
    );
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size: file.size });
  });

  it('a part damaged on the way is refused by the store and sent again', async () => {
    const file = await testFile('corrupt', 40 * MiB, 11);
    const { page } = await openApp();
    await pickFile(page, file.path);
    const id = await start(page, run({ corruptOnce: [2], retry: { baseMs: 100 } }));
    const done = await completed(page, id);
    const puts = (await page.evaluate(() => window.tesseraPage.engine?.putLog())) ?? [];
    const part2 = puts.filter((put) => put.partNumber === 2);
    // The store refuses the damaged body (400 BadDigest). Swift sends that error without CORS headers, so
    // the page sees a network error rather than the 400 (AWS S3 shows the 400, and the engine re-hashes);
    // either way the part is read again and sent again, and the object is this file's bytes.
    expect(part2).toHaveLength(2);
    expect(part2[0]).toMatchObject({ ok: false, failure: expect.stringMatching(/^(http 400|network)$/) });
    expect(part2[1]).toEqual({ partNumber: 2, ok: true, failure: null });
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: file.sha256, size: file.size });
  });
});

describe('a growing source (a recording) in Chromium', () => {
  const expected = (seed: number, chunkBytes: number, size: number) => {
    const hash = createHash('sha256');
    for (let index = 0, done = 0; done < size; index++) {
      const chunk = patternChunk(seed, index, Math.min(chunkBytes, size - done));
      hash.update(chunk);
      done += chunk.length;
    }
    return hash.digest('hex');
  };

  it('uploads 60 MiB fed over time in small blobs: parts go up before it ends; byte-identical', async () => {
    const feed = { seed: 3, chunkBytes: 256 * 1024, intervalMs: 10, totalBytes: 60 * MiB };
    const { page } = await openApp();
    const id = await page.evaluate(([r, f]) => window.tesseraPage.engine?.startRecording(r, f) ?? '', [run(), feed] as const);
    const done = await completed(page, id);
    const before = await page.evaluate((uploadId) => window.tesseraPage.engine?.doneWhenEnded(uploadId), id);
    console.log(`recording: ${before} of ${done.parts.length} parts were stored before the recording ended`);
    expect(before).toBeGreaterThanOrEqual(5);
    expect(done.result?.size).toBe(feed.totalBytes);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({
      sha256: expected(feed.seed, feed.chunkBytes, feed.totalBytes),
      size: feed.totalBytes,
    });
  });

  it('after a reload mid-recording, uploads every byte recorded so far', async () => {
    const feed = { seed: 4, chunkBytes: 256 * 1024, intervalMs: 10, totalBytes: 60 * MiB, end: false };
    const { page } = await openApp();
    await page.evaluate(() => window.tesseraPage.engine?.resetCounters());
    const first = await page.evaluate(([r, f]) => window.tesseraPage.engine?.startRecording(r, f) ?? '', [run(), feed] as const);
    await until(page, first, 's.doneParts >= 2');
    await page.reload(); // the tab dies mid-recording
    await page.waitForFunction(() => window.tesseraPage?.isReady === true);
    const recorded = await page.evaluate(() => window.tesseraPage.engine?.recordedBytes() ?? 0);
    const resumed = await page.evaluate((r) => window.tesseraPage.engine?.resumeRecording(r), run());
    expect(resumed?.storage).toBe('opfs');
    expect(resumed?.size).toBeGreaterThanOrEqual(recorded);
    const done = await completed(page, resumed?.id ?? '');
    const size = done.result?.size ?? 0;
    console.log(`recording reload: ${(recorded / MiB).toFixed(1)} MiB recorded before the reload, ${(size / MiB).toFixed(1)} MiB stored`);
    expect(size).toBe(resumed?.size);
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({
      sha256: expected(feed.seed, feed.chunkBytes, size),
      size,
    });
    expect(await page.evaluate(() => window.tesseraPage.engine?.resumable('/api/uploads'))).toEqual([]);
  });
});

describe('a kept file handle in Chromium', () => {
  it('resumes after a reload without the file being picked again', async () => {
    const file = { seed: 12, chunkBytes: MiB, size: 96 * MiB };
    const { page } = await openApp();
    await page.evaluate(() => window.tesseraPage.engine?.resetCounters());
    const first = await page.evaluate(
      ([r, f]) => window.tesseraPage.engine?.startWithHandle(r, f) ?? '',
      [run({ concurrency: 2 }), file] as const,
    );
    await until(page, first, 's.doneParts >= 3');
    await page.reload();
    await page.waitForFunction(() => window.tesseraPage?.isReady === true);
    const second = await page.evaluate((r) => window.tesseraPage.engine?.resumeWithKeptFile(r) ?? '', run({ concurrency: 2 }));
    const done = await completed(page, second);
    const resent = (await page.evaluate(() => window.tesseraPage.engine?.bytesSent() ?? 0)) - file.size;
    console.log(`kept handle: resumed without a re-pick, ${(resent / MiB).toFixed(0)} MiB re-sent`);
    expect(resent).toBeLessThanOrEqual(2 * PART);
    const hash = createHash('sha256');
    for (let index = 0; index * file.chunkBytes < file.size; index++) hash.update(patternChunk(file.seed, index, file.chunkBytes));
    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256: hash.digest('hex'), size: file.size });
  });
});
