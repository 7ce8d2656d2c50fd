/**
 * ListParts of an upload completed already, on models of AWS's and Swift's multipart semantics: always
 * `upload-completed` (409), never `upload-not-found`, so a page that lost the complete's answer recognises
 * the upload as done instead of sending the file again as a new one.
 */
import { UPLOAD_TOKEN_HEADER } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { createUploadHandler } from '../src/router.js';
import { createMemoryGateway, type StoreSemantics } from './memoryGateway.js';
import { twoPartUpload } from './twoPartUpload.js';

const SECRET = 'list-completed-secret-0123456789abcdef';
const BASE = 'http://handler.test/api/uploads/v1/uploads';

async function completedUpload(semantics: StoreSemantics, complete: boolean) {
  const time = 1_800_000_000_000;
  const gateway = createMemoryGateway({ semantics, now: () => time, tick: async () => undefined });
  const handler = createUploadHandler({
    bucket: 'tessera',
    gateway,
    secret: SECRET,
    authorize: () => ({ userId: 'ada' }),
    now: () => time,
  });
  const { uploadId, token, etags } = await twoPartUpload(gateway, SECRET, time);
  const path = `${BASE}/${encodeURIComponent(uploadId)}`;
  const headers = { 'content-type': 'application/json', [UPLOAD_TOKEN_HEADER]: token };
  if (complete) {
    const body = JSON.stringify({ parts: etags.map((etag, index) => ({ partNumber: index + 1, etag })) });
    expect((await handler(new Request(`${path}/complete`, { method: 'POST', headers, body }))).status).toBe(200);
  }
  return handler(new Request(`${path}/parts`, { headers }));
}

describe.each(['aws', 'swift'] as const)('ListParts on %s semantics', (semantics) => {
  it('of an open upload: its parts', async () => {
    const answer = await completedUpload(semantics, false);
    expect(answer.status).toBe(200);
    expect((await answer.json()) as unknown).toMatchObject({ parts: [{ partNumber: 1 }, { partNumber: 2 }] });
  });

  it('of a completed upload: upload-completed, not upload-not-found', async () => {
    const answer = await completedUpload(semantics, true);
    expect(answer.status).toBe(409);
    expect((await answer.json()) as unknown).toMatchObject({ error: { code: 'upload-completed' } });
  });
});
