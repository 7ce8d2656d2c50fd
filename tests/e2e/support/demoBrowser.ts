/**
 * Driving the demo app as a person would: Debian's Chromium (playwright-core), the sign-in form, the file
 * picker, screenshots kept as test artifacts, and a record of the upload traffic each page sends (to count
 * the bytes of part PUTs and read what the API answered).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListPartsCommand } from '@aws-sdk/client-s3';
import type { CompleteUploadResponse, CreateUploadResponse } from '@tessera/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type StoreInfo, storeClient } from '../../../scripts/swiftStore.js';
import { Cleanup, launchChromium, makeTestFile } from '../../support/browserHarness.js';

export { Cleanup, launchChromium, makeTestFile, setOffline, storedObjectSha256 } from '../../support/browserHarness.js';

/** A test file on disk: its path, size and SHA-256 (hex). */
export interface DemoTestFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

/**
 * What every e2e file shares, registered as its hooks: one Chromium launched before its tests (with
 * `launchArgs()`, computed then), whatever a test opened closed after it, the test files removed at the end.
 */
export function demoBrowserSuite(options: { launchArgs?: () => string[] } = {}) {
  const cleanup = new Cleanup();
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium({ extraArgs: options.launchArgs?.() ?? [] });
  });
  afterEach(() => cleanup.run());
  afterAll(async () => {
    await browser?.close();
    removeTestFileDir();
  });
  const launched = (): Browser => {
    if (!browser) throw new Error('Chromium is not running (used outside a test?)');
    return browser;
  };
  return {
    cleanup,
    browser: launched,
    /** A fresh profile (its own storage), closed after the test. */
    async openProfile(): Promise<{ context: BrowserContext; page: Page }> {
      const opened = await openBrowserProfile(launched());
      cleanup.add(opened.context, (context) => context.close());
      return opened;
    },
    /** `size` bytes from `seed` in a file named `name`, removed after the test. */
    async testFile(name: string, size: number, seed: number): Promise<DemoTestFile> {
      const path = cleanup.file(join(testFileDir(), name));
      return { name, path, size, sha256: await makeTestFile(path, size, seed) };
    },
  };
}

export const MiB = 1024 * 1024;

/** Where screenshots go: `test-results/e2e/` (git-ignored). */
export const ARTIFACT_DIR = join(process.cwd(), 'test-results', 'e2e');

/** Fake capture devices: no prompt, the whole (fake) screen for `getDisplayMedia`. */
export const FAKE_MEDIA_ARGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--auto-select-desktop-capture-source=Entire',
];

/** A directory for this run's test files (files keep readable names: they show on the pages). */
export function testFileDir(): string {
  const dir = join(tmpdir(), 'tessera-e2e', String(process.pid));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Delete this run's test files. */
export function removeTestFileDir(): void {
  rmSync(join(tmpdir(), 'tessera-e2e', String(process.pid)), { recursive: true, force: true });
}

/** Save a full-page screenshot as `test-results/e2e/<name>.png` and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  const path = join(ARTIFACT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** A new browser context (a person's browser profile) with a page of the demo. */
export async function openBrowserProfile(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

/** Sign in through the form at /login and land on the upload page. */
export async function signIn(page: Page, app: string, user: string): Promise<void> {
  await page.goto(`${app}/login`);
  await page.getByLabel('Your name').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${app}/`);
  await page.getByText(`Signed in as ${user}`).waitFor();
}

/** Sign out with the header's button and land on the sign-in page. */
export async function signOut(page: Page, app: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${app}/login`);
}

/** Choose `path` in the upload drop zone's file picker. */
export async function pickFile(page: Page, path: string): Promise<void> {
  await page.setInputFiles('[data-tessera="dropzone-target"] input[type="file"]', path);
}

/** The upload item for `fileName` on the page. */
export function uploadItem(page: Page, fileName: string) {
  return page.locator('[data-tessera="upload"]').filter({ hasText: fileName });
}

/** One presigned part PUT a page sent to the store. */
export interface PartPut {
  uploadId: string;
  partNumber: number;
  outcome: 'pending' | 'ok' | 'failed';
}

/**
 * What pages sent and received for uploads: part PUTs (to the store, `?partNumber=`), and the API's answers
 * to create and complete. Watch every page that uploads, old and new.
 */
export class UploadTraffic {
  readonly created = new Map<string, CreateUploadResponse>();
  readonly completed = new Map<string, CompleteUploadResponse>();
  readonly partPuts: PartPut[] = [];

  watch(page: Page): this {
    const puts = new Map<object, PartPut>();
    page.on('request', (request) => {
      if (request.method() !== 'PUT') return;
      const url = new URL(request.url());
      const partNumber = Number(url.searchParams.get('partNumber'));
      const uploadId = url.searchParams.get('uploadId');
      if (!partNumber || !uploadId) return;
      const put: PartPut = { uploadId, partNumber, outcome: 'pending' };
      puts.set(request, put);
      this.partPuts.push(put);
    });
    page.on('requestfinished', (request) => {
      const put = puts.get(request);
      if (!put) return;
      void request.response().then((response) => (put.outcome = response?.ok() ? 'ok' : 'failed'));
    });
    page.on('requestfailed', (request) => {
      const put = puts.get(request);
      if (put) put.outcome = 'failed';
    });
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (response.request().method() !== 'POST' || !response.ok()) return;
      if (pathname === '/api/uploads/v1/uploads') {
        void response.json().then((body: CreateUploadResponse) => this.created.set(body.uploadId, body), () => undefined);
      }
      const complete = /^\/api\/uploads\/v1\/uploads\/([^/]+)\/complete$/.exec(pathname);
      if (complete) {
        const uploadId = decodeURIComponent(complete[1] as string);
        void response.json().then((body: CompleteUploadResponse) => this.completed.set(uploadId, body), () => undefined);
      }
    });
    return this;
  }

  /** The upload created for a file or recording named `fileName` (its key ends with the name). */
  upload(fileName: string): CreateUploadResponse {
    const found = this.find(fileName);
    if (!found) throw new Error(`no upload of ${fileName} was created`);
    return found;
  }

  private find(fileName: string): CreateUploadResponse | undefined {
    return [...this.created.values()].find((created) => created.key.endsWith(`/${fileName}`));
  }

  /** The last upload created whose file name matches `name`, if any. */
  latest(name: RegExp): CreateUploadResponse | undefined {
    return [...this.created.values()].reverse().find((created) => name.test(created.key.slice(created.key.lastIndexOf('/') + 1)));
  }

  /** Part PUTs the store accepted for `uploadId`. */
  partsStoredOf(uploadId: string): number {
    return this.partPuts.filter((put) => put.uploadId === uploadId && put.outcome === 'ok').length;
  }

  /** Part PUTs the store accepted for the upload of `fileName` (none before it is created). */
  partsStored(fileName: string): number {
    const created = this.find(fileName);
    return created ? this.partsStoredOf(created.uploadId) : 0;
  }

  /**
   * Bytes of every part PUT sent for `uploadId` (a PUT cut off midway counts whole), by its part's size,
   * plus `unseen` parts known to have been sent without a request event (see {@link storedPartNumbers}).
   */
  bytesSent(uploadId: string, unseen: readonly number[] = []): number {
    const upload = this.created.get(uploadId);
    if (upload?.size == null) throw new Error(`upload ${uploadId} has no known size`);
    const { size, partSize } = upload;
    const partBytes = (partNumber: number) => Math.min(partSize, size - (partNumber - 1) * partSize);
    const seen = this.partPuts.filter((put) => put.uploadId === uploadId).map((put) => put.partNumber);
    return [...seen, ...unseen].reduce((sum, partNumber) => sum + partBytes(partNumber), 0);
  }

  /** Part numbers of the PUTs seen so far for `uploadId`. */
  partNumbersSent(uploadId: string): Set<number> {
    return new Set(this.partPuts.filter((put) => put.uploadId === uploadId).map((put) => put.partNumber));
  }
}

/**
 * The part numbers the store holds for an unfinished upload (ListParts). After a tab is closed this is the
 * truth about what it sent: a PUT started just as the tab closed may reach the store although Playwright
 * never delivered its request event.
 */
export async function storedPartNumbers(store: StoreInfo, key: string, uploadId: string): Promise<number[]> {
  const client = storeClient(store);
  try {
    const listed = await client.send(new ListPartsCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId }));
    return (listed.Parts ?? []).map((part) => part.PartNumber ?? 0);
  } finally {
    client.destroy();
  }
}

/** Wait until `check()` holds, polling every 100 ms; throws after `timeoutMs` with `what`. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Write a looping Y4M clip of random noise for Chromium's fake camera (`--use-file-for-fake-video-capture`):
 * noise does not compress, so a camera recording grows at the encoder's full bitrate (about 1 MB/s), enough
 * to fill 8 MiB parts while recording. Chromium's fake *screen* is a simple animation (about 60 kB/s).
 */
export function writeNoiseClip(path: string, width = 640, height = 360, frames = 30): string {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const frameBytes = (width * height * 3) / 2;
  const chunks: Buffer[] = [header];
  for (let frame = 0; frame < frames; frame++) chunks.push(Buffer.from('FRAME\n'), randomBytes(frameBytes));
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

/** Bytes in a size shown as `formatBytes` writes it (`9.4 MB`, `512 kB`). */
export function parseShownBytes(text: string): number {
  const match = /([\d.]+)\s*(B|kB|MB|GB)/.exec(text);
  if (!match) throw new Error(`no size in ${JSON.stringify(text)}`);
  const scale = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[match[2] as 'B' | 'kB' | 'MB' | 'GB'];
  return Number(match[1]) * scale;
}

/**
 * How long the `<video>` on the files page for `key` plays: its metadata, then a seek far past the end
 * (MediaRecorder's WebM has no duration in its header; the browser finds the end by seeking there).
 */
export async function playableSeconds(page: Page, key: string): Promise<number> {
  return page.locator(`[data-key="${key}"] video`).evaluate(async (element) => {
    const video = element as HTMLVideoElement;
    const event = (name: string) =>
      new Promise<void>((done, fail) => {
        video.addEventListener(name, () => done(), { once: true });
        video.addEventListener('error', () => fail(new Error(`video error ${video.error?.code}: ${video.error?.message}`)), {
          once: true,
        });
      });
    if (video.readyState < 1) await event('loadedmetadata');
    const seeked = event('seeked');
    video.currentTime = 1e6;
    await seeked;
    return Number.isFinite(video.duration) ? video.duration : video.currentTime;
  });
}
