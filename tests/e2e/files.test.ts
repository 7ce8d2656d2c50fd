/**
 * The demo app end to end with files: Chromium picks files from disk on the real pages, the Next.js app's
 * route handler signs, the store receives the parts, and the stored object is compared byte for byte.
 */
import { describe, expect, inject, it } from 'vitest';
import {
  demoBrowserSuite,
  MiB,
  pickFile,
  screenshot,
  setOffline,
  signIn,
  storedObjectSha256,
  storedPartNumbers,
  uploadItem,
  UploadTraffic,
  waitUntil,
} from './support/demoBrowser.js';

const app = inject('demoApp');
const store = inject('store');
// The engine's default, and the server's part size for these files.
const CONCURRENCY = 4;
const PART_SIZE = 8 * MiB;

const suite = demoBrowserSuite();

describe('demo app: files', () => {
  it('uploads a 1 GiB file picked from disk; the stored object has its SHA-256', async () => {
    const file = await suite.testFile('site-backup-2026.tar', 1024 * MiB, 21);
    const { page } = await suite.openProfile();
    const traffic = new UploadTraffic().watch(page);

    await page.goto(app);
    expect(page.url()).toBe(`${app}/login`);
    await screenshot(page, 'login');
    await signIn(page, app, 'alice');
    await screenshot(page, 'upload-page');

    const started = Date.now();
    await pickFile(page, file.path);
    const item = uploadItem(page, file.name);
    await waitUntil('a third of the parts', () => traffic.partsStored(file.name) >= 43, 120_000);
    await screenshot(page, 'upload-1gib-in-progress');
    await item.and(page.locator('[data-state="completed"]')).waitFor({ timeout: 240_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`1 GiB: picked to stored in ${seconds.toFixed(1)} s (${(1024 / seconds).toFixed(0)} MiB/s)`);
    await screenshot(page, 'upload-1gib-done');

    const { uploadId, key } = traffic.upload(file.name);
    expect(traffic.completed.get(uploadId)).toMatchObject({ key, size: file.size });
    expect(key).toMatch(/^uploads\/alice\//);
    expect(await storedObjectSha256(store, key)).toEqual({ sha256: file.sha256, size: file.size });

    await page.getByRole('link', { name: 'My files' }).first().click();
    await page.waitForURL(`${app}/files`);
    await expect(page.locator(`[data-key="${key}"]`).count()).resolves.toBe(1);
    await screenshot(page, 'files-page');
  });

  it('resumes in a new tab after the tab was closed mid-upload, re-sending at most concurrency × part size', async () => {
    const file = await suite.testFile('raw-footage-day-2.zip', 256 * MiB, 22);
    const { context, page: first } = await suite.openProfile();
    const traffic = new UploadTraffic().watch(first);
    await signIn(first, app, 'alice');
    await pickFile(first, file.path);
    await waitUntil('10 parts stored', () => traffic.partsStored(file.name) >= 10, 60_000);
    await first.close();
    const { uploadId, key } = traffic.upload(file.name);
    await new Promise((done) => setTimeout(done, 1_000)); // let the store settle the PUTs cut off
    const sentBeforeClose = traffic.partNumbersSent(uploadId);
    const storedAtClose = await storedPartNumbers(store, key, uploadId);
    const unseen = storedAtClose.filter((partNumber) => !sentBeforeClose.has(partNumber));

    const second = await context.newPage();
    traffic.watch(second);
    await second.goto(app);
    const offer = second.locator('[data-tessera="resumable"]').filter({ hasText: file.name });
    await offer.waitFor();
    await expect(offer.textContent()).resolves.toMatch(/\d+% uploaded/);
    await screenshot(second, 'unfinished-uploads-panel');
    const chooser = second.waitForEvent('filechooser');
    await offer.getByRole('button', { name: `Choose file to resume ${file.name}` }).click();
    await (await chooser).setFiles(file.path);
    await uploadItem(second, file.name).and(second.locator('[data-state="completed"]')).waitFor({ timeout: 120_000 });

    const resent = traffic.bytesSent(uploadId, unseen) - file.size;
    console.log(
      `tab closed with ${storedAtClose.length} of 32 parts stored: ${(resent / MiB).toFixed(0)} MiB re-sent ` +
        `(limit ${(CONCURRENCY * PART_SIZE) / MiB} MiB)`,
    );
    expect(traffic.created.get(uploadId)?.partSize).toBe(PART_SIZE);
    expect(traffic.created.size).toBe(1); // resumed, not started again
    expect(resent).toBeGreaterThanOrEqual(0);
    expect(resent).toBeLessThanOrEqual(CONCURRENCY * PART_SIZE);
    expect(await storedObjectSha256(store, key)).toEqual({ sha256: file.sha256, size: file.size });
  });

  it('shows offline for 30 s without network mid-upload, then completes on its own', async () => {
    const file = await suite.testFile('survey-responses.tar', 160 * MiB, 23);
    const { context, page } = await suite.openProfile();
    const traffic = new UploadTraffic().watch(page);
    await signIn(page, app, 'alice');
    await pickFile(page, file.path);
    await waitUntil('3 parts stored', () => traffic.partsStored(file.name) >= 3, 60_000);

    await setOffline(context, true);
    const item = uploadItem(page, file.name);
    await item.and(page.locator('[data-state="offline"]')).waitFor({ timeout: 30_000 });
    await expect(item.getByText('Waiting for the network').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('You are offline.').isVisible()).resolves.toBe(true);
    await screenshot(page, 'offline');
    await page.waitForTimeout(30_000);
    await expect(item.getAttribute('data-state')).resolves.toBe('offline');

    await setOffline(context, false);
    await item.and(page.locator('[data-state="completed"]')).waitFor({ timeout: 120_000 });
    await expect(page.getByText('You are offline.').isVisible()).resolves.toBe(false);
    const { key } = traffic.upload(file.name);
    expect(await storedObjectSha256(store, key)).toEqual({ sha256: file.sha256, size: file.size });
  });
});
