/**
 * The part sizes the handler plans at the largest sizes a policy allows, each within S3's 10,000 parts: a
 * 200 GiB and a 5 TiB file, and a growing source (no size at create, a recording) whose policy maximum is
 * 200 GiB or 5 TiB. For the growing source, sign accepts the last part its maximum needs and refuses the next.
 */
import { createHash } from 'node:crypto';
import { type CreateUploadResponse, S3_LIMITS, UPLOAD_TOKEN_HEADER } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { createUploadHandler, type UploadHandler } from '../src/router.js';
import { createMemoryGateway } from './memoryGateway.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;
const BASE = 'http://handler.test/api/uploads/v1/uploads';
const CHECKSUM = createHash('md5').update('part').digest('base64');

function handlerWithMaximum(maxFileSize: number): UploadHandler {
  return createUploadHandler({
    bucket: 'tessera',
    gateway: createMemoryGateway({ semantics: 'aws', now: () => Date.now() }),
    secret: 'large-uploads-secret-0123456789abcdef0123',
    authorize: () => ({ userId: 'ada' }),
    policy: { maxFileSize },
  });
}

async function create(handler: UploadHandler, size?: number): Promise<CreateUploadResponse> {
  const body = { fileName: 'talk.webm', contentType: 'video/webm', ...(size !== undefined && { size }) };
  const response = await handler(
    new Request(BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
  expect(response.status).toBe(201);
  return (await response.json()) as CreateUploadResponse;
}

async function sign(handler: UploadHandler, upload: CreateUploadResponse, partNumber: number, size: number) {
  const response = await handler(
    new Request(`${BASE}/${encodeURIComponent(upload.uploadId)}/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [UPLOAD_TOKEN_HEADER]: upload.token },
      body: JSON.stringify({ parts: [{ partNumber, size, checksum: CHECKSUM }] }),
    }),
  );
  const answer = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: answer.error?.code };
}

describe('the largest uploads a policy allows', () => {
  it.each([
    { name: '200 GiB', size: 200 * GiB, partSize: 21 * MiB, partCount: 9_753 },
    { name: '5 TiB', size: 5 * TiB, partSize: 525 * MiB, partCount: 9_987 },
  ])('plans a $name file within 10,000 parts', async ({ size, partSize, partCount }) => {
    const upload = await create(handlerWithMaximum(5 * TiB), size);
    expect(upload).toMatchObject({ size, partSize, partCount });
    expect(upload.partCount).toBeLessThanOrEqual(S3_LIMITS.maxParts);
  });

  it.each([
    { name: '200 GiB', maximum: 200 * GiB, partSize: 21 * MiB, lastPart: 9_753, lastPartSize: 8 * MiB },
    { name: '5 TiB', maximum: 5 * TiB, partSize: 525 * MiB, lastPart: 9_987, lastPartSize: 5 * TiB - 9_986 * 525 * MiB },
  ])(
    'gives a growing source with a $name maximum a part size that reaches it within 10,000 parts',
    async ({ maximum, partSize, lastPart, lastPartSize }) => {
      const handler = handlerWithMaximum(maximum);
      const upload = await create(handler);
      expect(upload).toMatchObject({ size: null, partCount: null, partSize });
      expect(lastPart).toBeLessThanOrEqual(S3_LIMITS.maxParts);
      expect((lastPart - 1) * partSize + lastPartSize).toBe(maximum);
      expect(await sign(handler, upload, lastPart - 1, partSize)).toEqual({ status: 200, code: undefined });
      // The last part the maximum needs is signed up to what is left of the maximum, and no part after it.
      expect(await sign(handler, upload, lastPart, lastPartSize)).toEqual({ status: 200, code: undefined });
      expect(await sign(handler, upload, lastPart, lastPartSize + 1)).toEqual({ status: 422, code: 'part-size-mismatch' });
      expect(await sign(handler, upload, lastPart + 1, 1)).toEqual({ status: 422, code: 'part-out-of-range' });
    },
  );
});
