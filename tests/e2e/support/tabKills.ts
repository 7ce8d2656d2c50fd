/**
 * Killing a demo tab the ways a tab dies (closed, renderer crashed), and reading what it left behind: the
 * browser's checkpoints (IndexedDB) and recordings (OPFS), and the multipart uploads open in the store.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { BrowserContext, Page } from 'playwright-core';
import { type StoreInfo, storeClient } from '../../../scripts/swiftStore.js';

/** How a tab dies: closed (no unload handler runs), or its renderer crashes (CDP `Page.crash`). */
export type TabKill = 'close' | 'crash';

/** Kill `page` as `how` says; resolves once it is gone. */
export async function killTab(context: BrowserContext, page: Page, how: TabKill): Promise<void> {
  if (how === 'crash') {
    const cdp = await context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
  }
  await page.close();
}

/** A checkpoint as the page's IndexedDB holds it (the fields the tests read). */
export interface StoredCheckpoint {
  id: string;
  uploadId: string;
  fileName: string;
  source: 'file' | 'growing';
  parts: unknown[];
}

/** The checkpoints in the page's IndexedDB (localforage's database `tessera`, store `checkpoints`). */
export function storedCheckpoints(page: Page): Promise<StoredCheckpoint[]> {
  return page.evaluate(async () => {
    // Opening a database that does not exist would create it: look first.
    if (!(await indexedDB.databases()).some((database) => database.name === 'tessera')) return [];
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tessera');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!database.objectStoreNames.contains('checkpoints')) return [];
      return await new Promise<StoredCheckpoint[]>((resolve, reject) => {
        const request = database.transaction('checkpoints').objectStore('checkpoints').getAll();
        request.onsuccess = () => resolve(request.result as StoredCheckpoint[]);
        request.onerror = () => reject(request.error);
      });
    } finally {
      database.close();
    }
  });
}

/** Ids of the checkpoints in the page's IndexedDB. */
export async function checkpointIds(page: Page): Promise<string[]> {
  return (await storedCheckpoints(page)).map((checkpoint) => checkpoint.id);
}

/** Ids of the recordings in the page's OPFS, and the SHA-256 (hex) and size of each one's bytes. */
export function storedRecordings(page: Page): Promise<Array<{ id: string; size: number; sha256: string }>> {
  return page.evaluate(async () => {
    type Directory = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };
    const root = (await navigator.storage.getDirectory()) as Directory;
    let recordings: Directory;
    try {
      recordings = (await root.getDirectoryHandle('tessera-recordings')) as Directory;
    } catch {
      return [];
    }
    const found = [];
    for await (const name of recordings.keys()) {
      const folder = (await recordings.getDirectoryHandle(name)) as Directory;
      const chunks: Array<{ offset: number; file: File }> = [];
      for await (const entry of folder.keys()) {
        const match = /^(\d+)-(\d+)\.chunk$/.exec(entry);
        if (match) chunks.push({ offset: Number(match[1]), file: await (await folder.getFileHandle(entry)).getFile() });
      }
      chunks.sort((a, b) => a.offset - b.offset);
      const bytes = await new Blob(chunks.map((chunk) => chunk.file)).arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const sha256 = [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      found.push({ id: decodeURIComponent(name), size: bytes.byteLength, sha256 });
    }
    return found;
  });
}

/** The multipart uploads open in the store under `prefix` (ListMultipartUploads), by upload id. */
export async function openMultipartUploads(store: StoreInfo, prefix: string): Promise<Map<string, string>> {
  const client = storeClient(store);
  const open = new Map<string, string>();
  try {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListMultipartUploadsCommand({ Bucket: store.bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
      );
      for (const upload of page.Uploads ?? []) if (upload.UploadId) open.set(upload.UploadId, upload.Key ?? '');
      if (!page.IsTruncated) return open;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  } finally {
    client.destroy();
  }
}
