/**
 * The browser test page: exposes `window.tesseraPage` for tests driving real Chromium. Synchronous parts
 * are attached at once; entry points that load asynchronously go in `loadEntries`, and `ready` settles when
 * they have.
 */
import { md5Base64 } from './md5.js';
import { md5Base64InWorker } from './md5InWorker.js';
import type { FetchOutcome, TesseraPage } from './pageTypes.js';
import { protocol } from './protocol.js';
import { rawUpload } from './rawUpload.js';

function pickedFile(): File {
  const file = document.querySelector<HTMLInputElement>('#file')?.files?.[0];
  if (file === undefined) throw new Error('no file picked into #file');
  return file;
}

async function tryFetch(url: string, init?: RequestInit): Promise<FetchOutcome> {
  try {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return { ok: true, status: response.status };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** Entry points loaded after the page starts, e.g. the engine under test once it exists. */
async function loadEntries(page: TesseraPage): Promise<void> {
  page.engine = (await import('./engineDriver.js')).engineDriver;
  page.isReady = true;
}

const tesseraPage: TesseraPage = {
  ready: Promise.resolve(),
  isReady: false,
  pickedFile,
  rawUpload: (options) => rawUpload(pickedFile(), options),
  protocol,
  md5Base64,
  md5Base64InWorker,
  tryFetch,
};
tesseraPage.ready = loadEntries(tesseraPage);
window.tesseraPage = tesseraPage;
