/**
 * An upload of more parts than one ListParts page holds, through the real handler over HTTP into a store of
 * its own that accepts 64 KiB parts (Swift's s3api pages ListParts at 1,000): list and complete read every
 * page (the gateway's paging), counted by a pass-through proxy between the handler and the store.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CompleteUploadResponse, ListPartsResponse } from '@tessera/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreInfo, startSwiftStore, stopSwiftStore } from '../../scripts/swiftStore.js';
import { storedObjectSha256 } from '../support/browserTestFiles.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { call, completeUpload, createUpload, putParts, sha256Hex, testBytes } from '../support/protocolClient.js';
import { startUploadServer, type UploadServer } from '../support/uploadServer.js';

const PART = 64 * 1024;
const PARTS = 1_100;
const dir = join(process.cwd(), '.store', `many-parts-${process.pid}`);
const data = testBytes(PARTS * PART - 1000, 71);
const requests: string[] = [];
let store: StoreInfo;
let proxy: FaultProxy;
let server: UploadServer;

beforeAll(async () => {
  store = await startSwiftStore({ dir, bucket: 'many-parts', minPartSize: PART });
  proxy = await startFaultProxy({
    target: store.endpoint,
    faultRate: 0,
    isFaultable: ({ method, url }) => {
      requests.push(`${method} ${url}`);
      return false;
    },
  });
  server = await startUploadServer(
    { ...store, endpoint: proxy.url },
    { policy: { minPartSize: PART, preferredPartSize: PART } },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await stopSwiftStore(dir);
  rmSync(dir, { recursive: true, force: true });
});

/** The ListParts requests the handler sent since `from`, as their page markers (`null` for the first page). */
function listPartsPages(from: number): Array<string | null> {
  return requests
    .slice(from)
    .filter((request) => request.startsWith('GET ') && /[?&]uploadId=/.test(request))
    .map((request) => new URL(request.slice(4), 'http://store.invalid').searchParams.get('part-number-marker'));
}

describe('an upload of more than 1,000 parts through the handler', () => {
  it('lists and completes 1,100 parts, reading ListParts page by page; the object is byte-identical', async () => {
    const started = performance.now();
    const created = await createUpload(server.url, { fileName: 'long.webm', contentType: 'video/webm', size: data.length });
    expect(created.status).toBe(201);
    const upload = created.body;
    expect(upload).toMatchObject({ partSize: PART, partCount: PARTS });
    const etags: Array<{ partNumber: number; etag: string }> = [];
    for (let first = 1; first <= PARTS; first += upload.maxSignBatch) {
      const batch = Array.from({ length: Math.min(upload.maxSignBatch, PARTS - first + 1) }, (_, index) => first + index);
      etags.push(...(await putParts(server.url, upload, data, batch)));
    }
    const sent = performance.now();
    const parts = etags.map(({ partNumber, etag }) => ({ partNumber, etag: etag.replaceAll('"', '') }));

    const beforeList = requests.length;
    const listed = await call<ListPartsResponse>(server.url, 'GET', `/v1/uploads/${encodeURIComponent(upload.uploadId)}/parts`, undefined, {
      token: upload.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.parts.map(({ partNumber, etag }) => ({ partNumber, etag }))).toEqual(parts);
    expect(listed.body.parts.at(-1)?.size).toBe(PART - 1000);
    const listPages = listPartsPages(beforeList);

    const beforeComplete = requests.length;
    const completeStarted = performance.now();
    const completed = await completeUpload(server.url, upload, { parts, size: data.length });
    const completeMs = performance.now() - completeStarted;
    expect(completed.status).toBe(200);
    const completePages = listPartsPages(beforeComplete);
    const answer = completed.body as unknown as CompleteUploadResponse;
    console.log(
      `1,100 parts: sent in ${((sent - started) / 1000).toFixed(1)} s; ListParts pages read by list ` +
        `${JSON.stringify(listPages)}, by complete ${JSON.stringify(completePages)} (complete took ${completeMs.toFixed(0)} ms)`,
    );
    expect(listPages).toEqual([null, '1000']);
    expect(completePages).toEqual([null, '1000']);
    expect(answer).toMatchObject({ size: data.length, partCount: PARTS });
    expect(answer.etag).toMatch(new RegExp(`^[0-9a-f]{32}-${PARTS}$`));
    expect(await storedObjectSha256(store, answer.key)).toEqual({ sha256: sha256Hex(data), size: data.length });
  });
});
