/**
 * The demo app end to end with recordings: Chromium's fake screen and camera, `<UploadRecorder>` uploading
 * while it records, the stored WebM played back on the files page, and a recording cut off by a killed tab
 * uploaded from a new one.
 */
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import {
  demoBrowserSuite,
  FAKE_MEDIA_ARGS,
  openBrowserProfile,
  parseShownBytes,
  playableSeconds,
  screenshot,
  signIn,
  testFileDir,
  UploadTraffic,
  waitUntil,
  writeNoiseClip,
} from './support/demoBrowser.js';

const app = inject('demoApp');
const store = inject('store');
const RECORDING = /^recording-.*\.webm$/;
const EBML_MAGIC = '1a45dfa3';

const suite = demoBrowserSuite({
  launchArgs: () => {
    const clip = writeNoiseClip(join(testFileDir(), 'noise-camera.y4m'));
    return [...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${clip}`];
  },
});

async function storedHead(key: string): Promise<Buffer> {
  const client = storeClient(store);
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key, Range: 'bytes=0-63' }));
    return Buffer.from((await Body?.transformToByteArray()) ?? []);
  } finally {
    client.destroy();
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('demo app: recordings', () => {
  it('records 20 s of the screen; the stored object is a WebM that plays for about 20 s', async () => {
    const { context, page } = await openBrowserProfile(suite.browser());
    const traffic = new UploadTraffic().watch(page);
    try {
      await signIn(page, app, 'carol');
      await page.getByRole('button', { name: 'Record screen' }).click();
      await page.locator('[data-tessera="recorder"][data-state="recording"]').waitFor();
      const startedAt = Date.now();
      // The upload exists from the first second: parts go up as soon as the recording fills one.
      await waitUntil('the recording upload', () => traffic.latest(RECORDING) !== undefined, 10_000);
      await sleep(10_000);
      await screenshot(page, 'recording-screen');
      await sleep(startedAt + 20_000 - Date.now());
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await page.getByTestId('recording-stored').waitFor({ timeout: 60_000 });
      await screenshot(page, 'recording-stored');

      const { uploadId, key } = traffic.latest(RECORDING) ?? expect.unreachable();
      const completed = traffic.completed.get(uploadId) ?? expect.unreachable();
      console.log(`screen: 20 s recorded, ${(completed.size / 1e6).toFixed(2)} MB in ${completed.partCount} part(s)`);
      expect((await storedHead(key)).subarray(0, 4).toString('hex')).toBe(EBML_MAGIC);
      expect((await storedHead(key)).toString('latin1')).toContain('webm');

      await page.getByRole('link', { name: 'Play it in My files' }).click();
      await page.waitForURL(`${app}/files`);
      const seconds = await playableSeconds(page, key);
      console.log(`screen: the stored WebM plays for ${seconds.toFixed(2)} s`);
      expect(seconds).toBeGreaterThan(18.5);
      expect(seconds).toBeLessThan(21.5);
      await screenshot(page, 'files-page-recording');
    } finally {
      await context.close();
    }
  });

  it('uploads camera parts while recording; after the tab is killed, a new tab uploads every recorded byte', async () => {
    const { context, page } = await openBrowserProfile(suite.browser());
    const traffic = new UploadTraffic().watch(page);
    try {
      await signIn(page, app, 'carol');
      await page.getByRole('button', { name: 'Record camera' }).click();
      await page.locator('[data-tessera="recorder"][data-state="recording"]').waitFor();
      const startedAt = Date.now();
      await waitUntil('the recording upload', () => traffic.latest(RECORDING) !== undefined, 10_000);
      const { uploadId, key } = traffic.latest(RECORDING) ?? expect.unreachable();
      await waitUntil('a part stored while recording', () => traffic.partsStoredOf(uploadId) >= 1, 45_000);
      await sleep(2_000);
      await screenshot(page, 'recording-camera');
      const shown = await page.locator('[data-tessera="recorder-recorded"]').textContent();
      const partsBeforeKill = traffic.partsStoredOf(uploadId);
      const recordedSeconds = (Date.now() - startedAt) / 1000;
      // Kill the tab: its renderer crashes, no unload handler runs, the recorder never stops.
      const cdp = await context.newCDPSession(page);
      const crashed = page.waitForEvent('crash');
      void cdp.send('Page.crash').catch(() => undefined);
      await crashed;
      await page.close();

      const reopened = await context.newPage();
      traffic.watch(reopened);
      await reopened.goto(app);
      const recovery = reopened.getByTestId('recording-recovery');
      await recovery.waitFor();
      await screenshot(reopened, 'recording-recovery');
      await recovery.getByRole('button', { name: 'Upload what was recorded' }).click();
      await recovery.locator('[data-tessera="upload"][data-state="completed"]').waitFor({ timeout: 60_000 });

      const completed = traffic.completed.get(uploadId) ?? expect.unreachable();
      console.log(
        `camera: killed after ${recordedSeconds.toFixed(1)} s with ${shown} and ${partsBeforeKill} part(s) stored; ` +
          `${(completed.size / 1e6).toFixed(2)} MB stored after reopening`,
      );
      expect(partsBeforeKill).toBeGreaterThanOrEqual(1);
      expect(completed.key).toBe(key);
      expect(completed.size).toBeGreaterThanOrEqual(parseShownBytes(shown ?? '') * 0.99);
      expect((await storedHead(key)).subarray(0, 4).toString('hex')).toBe(EBML_MAGIC);

      await reopened.goto(`${app}/files`);
      const seconds = await playableSeconds(reopened, key);
      console.log(`camera: the recovered WebM plays for ${seconds.toFixed(2)} s`);
      expect(seconds).toBeGreaterThan(recordedSeconds - 3);
      await screenshot(reopened, 'files-page-recordings');
    } finally {
      await context.close();
    }
  });
});
