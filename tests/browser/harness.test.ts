/**
 * The browser harness itself, end to end: real Chromium, the page built by Vite, the real upload handler
 * and the real store (optionally through the fault proxy). The raw loop here is the baseline contender.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  API_PATH,
  callsOf,
  Cleanup,
  emulateNetwork,
  launchChromium,
  makeTestFile,
  openTestPage,
  pickFile,
  setOffline,
  startTestApp,
  storedObjectSha256,
  testFilePath,
} from '../support/browserHarness.js';
import { startFaultProxy } from '../support/faultProxy.js';

const MiB = 1024 * 1024;
const store = inject('store');
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Chromium, the app (its handler presigning for `s3Endpoint`) and a page as alice, all stopped by `cleanup`. */
async function openApp(s3Endpoint?: string) {
  const browser = cleanup.add(await launchChromium(), (started) => started.close());
  const app = cleanup.add(await startTestApp({ store, s3Endpoint }), (started) => started.close());
  return { app, ...(await openTestPage(browser, app)) };
}

/** Upload a fresh 64 MiB file with the raw loop at concurrency 4 and check the stored object byte for byte. */
async function uploadWithRawLoop(label: string, s3Endpoint?: string) {
  const size = 64 * MiB;
  const path = cleanup.file(testFilePath(`${label}.bin`));
  const sha256 = await makeTestFile(path, size, 64);
  const { app, page, pageErrors } = await openApp(s3Endpoint);
  expect(await pickFile(page, path)).toEqual({ name: basename(path), size });

  const result = await page.evaluate(
    (options) => window.tesseraPage.rawUpload(options),
    { endpoint: API_PATH, concurrency: 4 },
  );
  console.log(`${label}: 64 MiB in ${result.ms.toFixed(0)} ms, ${(size / 1e6 / (result.ms / 1000)).toFixed(0)} MB/s`);

  expect(result).toMatchObject({ size, partCount: 8, bytesSent: size, signRequests: 2 });
  expect(result.etag).toMatch(/^[0-9a-f]{32}-8$/);
  expect(await storedObjectSha256(store, result.key)).toEqual({ sha256, size });
  expect(callsOf(app)).toEqual([
    'POST /v1/uploads 201',
    'POST /:id/sign 200',
    'POST /:id/sign 200',
    'POST /:id/complete 200',
  ]);
  expect(pageErrors).toEqual([]);
  return result;
}

describe('browser harness', () => {
  it('uploads a 64 MiB file picked from disk with the raw loop, byte for byte', async () => {
    await uploadWithRawLoop('raw-direct');
  });

  it("lets the page read the ETag of a presigned PUT to the store's other origin", async () => {
    const path = cleanup.file(testFilePath('cors.bin'));
    await makeTestFile(path, MiB + 123, 5);
    const md5 = createHash('md5')
      .update(await readFile(path))
      .digest('hex');
    const { app, page } = await openApp();
    await pickFile(page, path);

    const answer = await page.evaluate(async (endpoint) => {
      const { pickedFile, protocol, md5Base64 } = window.tesseraPage;
      const file = pickedFile();
      const upload = await protocol.createUpload(endpoint, { fileName: file.name, contentType: '', size: file.size });
      const parts = [{ partNumber: 1, size: file.size, checksum: await md5Base64(file) }];
      const [part] = await protocol.signParts(endpoint, upload, parts);
      if (part === undefined) throw new Error('nothing signed');
      const etag = await protocol.putPart(part, file);
      await protocol.abortUpload(endpoint, upload);
      return { url: part.url, etag };
    }, API_PATH);

    expect(new URL(answer.url).origin).toBe(store.endpoint);
    expect(new URL(answer.url).origin).not.toBe(app.origin);
    expect(answer.etag).not.toBe('');
    expect(answer.etag.replaceAll('"', '')).toBe(md5);
  });

  it('goes offline and back online, through Playwright and through CDP', async () => {
    const { page, context, cdp } = await openApp();
    const probe = () =>
      page.evaluate(async (storeUrl) => {
        const { tryFetch } = window.tesseraPage;
        return {
          sameOrigin: await tryFetch('/index.html', { cache: 'no-store' }),
          store: await tryFetch(`${storeUrl}/healthcheck`, { mode: 'no-cors', cache: 'no-store' }),
          onLine: navigator.onLine,
        };
      }, store.endpoint);
    const online = { sameOrigin: { ok: true, status: 200 }, store: { ok: true, status: 0 }, onLine: true };
    const offline = { sameOrigin: { ok: false }, store: { ok: false }, onLine: false };

    expect(await probe()).toEqual(online);
    await setOffline(context, true);
    expect(await probe()).toMatchObject(offline);
    await setOffline(context, false);
    expect(await probe()).toEqual(online);

    await emulateNetwork(cdp, { offline: true });
    expect(await probe()).toMatchObject(offline);
    await emulateNetwork(cdp, {});
    expect(await probe()).toEqual(online);
  });

  it('uploads the same way through the fault proxy when it injects no faults', async () => {
    const proxy = cleanup.add(await startFaultProxy({ target: store.endpoint, faultRate: 0 }), (started) =>
      started.close(),
    );
    await uploadWithRawLoop('raw-via-proxy', proxy.url);
    const stats = proxy.stats();
    expect(stats).toMatchObject({ faultable: 8, totalFaults: 0 });
    expect(stats.bytesForwarded).toBeGreaterThanOrEqual(64 * MiB);
  });

  it('fails the raw loop at the first faulted part (it has no retry), readably, and aborts the upload', async () => {
    const proxy = cleanup.add(
      await startFaultProxy({ target: store.endpoint, faultRate: 1, kinds: ['status-503'] }),
      (started) => started.close(),
    );
    const path = cleanup.file(testFilePath('faulted.bin'));
    await makeTestFile(path, 16 * MiB, 2);
    const { app, page, pageErrors } = await openApp(proxy.url);
    await pickFile(page, path);

    const outcome = await page.evaluate(
      (options) => window.tesseraPage.rawUpload(options).then(
        () => 'uploaded',
        (error: unknown) => String(error),
      ),
      { endpoint: API_PATH, concurrency: 1 },
    );
    // The proxy's 503 carries CORS headers, so the page sees the status rather than a network error.
    expect(outcome).toMatch(/PUT part 1: 503 .*<Code>ServiceUnavailable<\/Code>/s);
    const calls = callsOf(app);
    expect(calls[0]).toBe('POST /v1/uploads 201');
    expect(calls.slice(1, -1)).toContain('POST /:id/sign 200'); // the signer may run a batch ahead
    expect(calls.slice(1, -1).every((call) => call === 'POST /:id/sign 200')).toBe(true);
    expect(calls.at(-1)).toBe('DELETE /:id 200');
    expect(pageErrors).toEqual([]);
  });

  it('runs a module worker from the bundle (hash-wasm inside it agrees with the main thread)', async () => {
    const path = cleanup.file(testFilePath('worker.bin'));
    await makeTestFile(path, 3 * MiB + 7, 9);
    const { page } = await openApp();
    await pickFile(page, path);
    const checksums = await page.evaluate(async () => {
      const { pickedFile, md5Base64, md5Base64InWorker } = window.tesseraPage;
      return { main: await md5Base64(pickedFile()), worker: await md5Base64InWorker(pickedFile()) };
    });
    const expected = createHash('md5')
      .update(await readFile(path))
      .digest('base64');
    expect(checksums).toEqual({ main: expected, worker: expected });
  });
});
