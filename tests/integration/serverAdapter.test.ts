import { GetObjectCommand, HeadObjectCommand, ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CreateUploadResponse } from '@tessera/core';
import { abortStaleUploads, createNextRouteHandlers } from '@tessera/server-adapter';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import {
  call,
  completeUpload,
  createUpload,
  md5Base64,
  partBytes,
  putParts,
  sha256Hex,
  signParts,
  testBytes,
} from '../support/protocolClient.js';
import { handlerOptions, startUploadServer, TEST_USER_HEADER, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const store = inject('store');
let server: UploadServer;
let s3: S3Client;

beforeAll(async () => {
  server = await startUploadServer(store);
  s3 = storeClient(store);
});
afterAll(async () => {
  await server.close();
  s3.destroy();
});

async function storedBytes(key: string): Promise<Uint8Array> {
  const object = await s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  return object.Body?.transformToByteArray() ?? new Uint8Array();
}

async function started(size: number, user = 'alice'): Promise<CreateUploadResponse> {
  const reply = await createUpload(server.url, { fileName: 'clip.mp4', contentType: 'video/mp4', size }, { user });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('a whole upload through the real handler and store', () => {
  it('uploads a 3-part file: create → sign → PUT → list → complete → identical object', async () => {
    const data = testBytes(19 * MiB, 7);
    const sha256 = Buffer.from(sha256Hex(data), 'hex').toString('base64');
    const created = await createUpload(server.url, {
      fileName: 'talk.mp4',
      contentType: 'video/mp4',
      size: data.length,
      sha256,
    });
    expect(created.status).toBe(201);
    const upload = created.body;
    expect(upload).toMatchObject({ partSize: 8 * MiB, partCount: 3, size: data.length, checksumAlgorithm: 'md5' });
    expect(upload.key).toMatch(/^uploads\/alice\/[0-9a-f-]{36}\/talk\.mp4$/);

    const etags = await putParts(server.url, upload, data, [1, 2, 3]);
    const listed = await call<{ parts: Array<{ partNumber: number; size: number; etag: string }> }>(
      server.url,
      'GET',
      `/v1/uploads/${encodeURIComponent(upload.uploadId)}/parts`,
      undefined,
      { token: upload.token },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.parts.map((part) => part.size)).toEqual([8 * MiB, 8 * MiB, 3 * MiB]);

    const done = await completeUpload(server.url, upload, { parts: etags, size: data.length, sha256 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ key: upload.key, size: data.length, partCount: 3 });
    expect(done.body.etag).toMatch(/^[0-9a-f]{32}-3$/);

    expect(sha256Hex(await storedBytes(upload.key))).toBe(sha256Hex(data));
    const head = await s3.send(new HeadObjectCommand({ Bucket: store.bucket, Key: upload.key }));
    expect(head.ContentType).toBe('video/mp4');
    expect(head.Metadata?.sha256).toBe(sha256);

    // A retried complete (its first answer lost) gets the same answer; abort can no longer harm the object.
    const again = await completeUpload(server.url, upload, { parts: etags, size: data.length });
    expect(again).toEqual(done);
    const path = `/v1/uploads/${encodeURIComponent(upload.uploadId)}`;
    expect(await call(server.url, 'DELETE', path, undefined, { token: upload.token })).toMatchObject({
      status: 409,
      body: { error: { code: 'upload-completed' } },
    });
    expect(sha256Hex(await storedBytes(upload.key))).toBe(sha256Hex(data));
  });

  it('uploads a growing source whose size is known only at the end', async () => {
    const created = await createUpload(server.url, { fileName: 'rec.webm', contentType: 'video/webm' });
    expect(created.status).toBe(201);
    const upload = created.body;
    expect(upload.partCount).toBeNull();
    const data = testBytes(upload.partSize + 1234, 3);
    const etags = await putParts(server.url, upload, data, [1, 2]);
    const done = await completeUpload(server.url, upload, { parts: etags, size: data.length });
    expect(done.status).toBe(200);
    expect(sha256Hex(await storedBytes(upload.key))).toBe(sha256Hex(data));
  });

  it('works the same through the Next.js route handlers', async () => {
    const { POST, DELETE } = createNextRouteHandlers(handlerOptions(store));
    const created = await POST(
      new Request('http://app.test/api/uploads/v1/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TEST_USER_HEADER]: 'alice' },
        body: JSON.stringify({ fileName: 'a.txt', contentType: 'text/plain', size: 10 }),
      }),
    );
    expect(created.status).toBe(201);
    const upload = (await created.json()) as CreateUploadResponse;
    const aborted = await DELETE(
      new Request(`http://app.test/api/uploads/v1/uploads/${encodeURIComponent(upload.uploadId)}`, {
        method: 'DELETE',
        headers: { [TEST_USER_HEADER]: 'alice', 'x-tessera-upload-token': upload.token },
      }),
    );
    expect(aborted.status).toBe(200);
  });
});

describe('integrity and authority', () => {
  it('abort frees the upload: the store answers NoSuchUpload afterwards', async () => {
    const upload = await started(10 * MiB);
    await putParts(server.url, upload, testBytes(10 * MiB), [1]);
    const path = `/v1/uploads/${encodeURIComponent(upload.uploadId)}`;
    expect((await call(server.url, 'DELETE', path, undefined, { token: upload.token })).status).toBe(200);
    const listed = await call(server.url, 'GET', `${path}/parts`, undefined, { token: upload.token });
    expect(listed).toMatchObject({ status: 404, body: { error: { code: 'upload-not-found' } } });
    await expect(
      s3.send(new ListPartsCommand({ Bucket: store.bucket, Key: upload.key, UploadId: upload.uploadId })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('the store rejects a part whose bytes differ from the checksum bound into its URL', async () => {
    const data = testBytes(10 * MiB, 11);
    const upload = await started(data.length);
    const part1 = partBytes(data, upload.partSize, 1);
    const signed = await signParts(server.url, upload, [
      { partNumber: 1, size: part1.length, checksum: md5Base64(part1) },
    ]);
    const corrupted = part1.slice();
    corrupted[12345] = (corrupted[12345] ?? 0) ^ 0xff;
    const [part] = signed.body.parts;
    const rejected = await fetch(part?.url ?? '', {
      method: 'PUT',
      headers: part?.headers,
      body: new Blob([corrupted]),
    });
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).toContain('BadDigest');
    const stored = await s3.send(
      new ListPartsCommand({ Bucket: store.bucket, Key: upload.key, UploadId: upload.uploadId }),
    );
    expect(stored.Parts ?? []).toHaveLength(0);
    // The same URL with the right bytes goes through: nothing was lost.
    const accepted = await fetch(part?.url ?? '', { method: 'PUT', headers: part?.headers, body: new Blob([part1]) });
    expect(accepted.status).toBe(200);
  });

  it('with checksumAlgorithm none binds only the length: a checksum is refused, the URL takes any bytes of that size', async () => {
    const none = await startUploadServer(store, { checksumAlgorithm: 'none' });
    try {
      const data = testBytes(2 * MiB, 12);
      const created = await createUpload(none.url, { fileName: 'clip.mp4', contentType: 'video/mp4', size: data.length });
      expect(created.body).toMatchObject({ checksumAlgorithm: 'none' });
      const withChecksum = await signParts(none.url, created.body, [
        { partNumber: 1, size: data.length, checksum: md5Base64(data) },
      ]);
      expect(withChecksum.status).toBe(400);
      expect(withChecksum.body).toMatchObject({ error: { code: 'invalid-field', field: 'parts.0.checksum' } });
      const signed = await signParts(none.url, created.body, [{ partNumber: 1, size: data.length, checksum: '' }]);
      const [part] = signed.body.parts;
      expect(part?.headers).toStrictEqual({});
      const put = await fetch(part?.url ?? '', { method: 'PUT', body: new Blob([data]) });
      expect(put.status).toBe(200);
      const shorter = await fetch(part?.url ?? '', { method: 'PUT', body: new Blob([data.subarray(1)]) });
      expect(shorter.status).toBe(403);
    } finally {
      await none.close();
    }
  });

  it('refuses a wrong ETag at complete with a typed error and leaves the upload completable', async () => {
    const data = testBytes(10 * MiB, 5);
    const upload = await started(data.length);
    const etags = await putParts(server.url, upload, data, [1, 2]);
    const wrong = etags.map((part, index) =>
      index === 1 ? { ...part, etag: 'd41d8cd98f00b204e9800998ecf8427e' } : part,
    );
    const refused = await completeUpload(server.url, upload, { parts: wrong });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'etag-mismatch', field: 'parts.1.etag' } } });
    const missing = await completeUpload(server.url, upload, { parts: etags.slice(0, 1) });
    expect(missing).toMatchObject({ status: 409, body: { error: { code: 'parts-missing', field: 'parts' } } });
    const done = await completeUpload(server.url, upload, { parts: etags });
    expect(done.status).toBe(200);
    expect(sha256Hex(await storedBytes(upload.key))).toBe(sha256Hex(data));
  });

  it('refuses complete when a part the client lists was never stored', async () => {
    const data = testBytes(10 * MiB, 9);
    const upload = await started(data.length);
    const [first] = await putParts(server.url, upload, data, [1]);
    const refused = await completeUpload(server.url, upload, {
      parts: [
        first as { partNumber: number; etag: string },
        { partNumber: 2, etag: 'd41d8cd98f00b204e9800998ecf8427e' },
      ],
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'parts-missing', field: 'parts.1' } } });
  });

  it('binds every operation to the user who started the upload', async () => {
    const data = testBytes(10 * MiB, 2);
    const upload = await started(data.length, 'alice');
    const etags = await putParts(server.url, upload, data, [1, 2]);
    const path = `/v1/uploads/${encodeURIComponent(upload.uploadId)}`;
    const asBob = { user: 'bob', token: upload.token };
    const forbidden = { status: 403, body: { error: { code: 'forbidden' } } };
    expect(
      await signParts(server.url, upload, [{ partNumber: 1, size: 8 * MiB, checksum: md5Base64(data) }], asBob),
    ).toMatchObject(forbidden);
    expect(await call(server.url, 'GET', `${path}/parts`, undefined, asBob)).toMatchObject(forbidden);
    expect(await completeUpload(server.url, upload, { parts: etags }, asBob)).toMatchObject(forbidden);
    expect(await call(server.url, 'DELETE', path, undefined, asBob)).toMatchObject(forbidden);

    const [payload, signature] = upload.token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, userId: 'bob' })).toString('base64url')}.${signature}`;
    expect(await call(server.url, 'DELETE', path, undefined, { user: 'bob', token: forged })).toMatchObject({
      status: 403,
      body: { error: { code: 'token-invalid' } },
    });
    // Alice's upload is unharmed.
    expect((await completeUpload(server.url, upload, { parts: etags })).status).toBe(200);
  });

  it('the store rejects a presigned URL after it expires', async () => {
    const shortLived = await startUploadServer(store, { urlTtlSeconds: 1 });
    try {
      const data = testBytes(1000, 4);
      const created = await createUpload(shortLived.url, { fileName: 'a.bin', contentType: '', size: data.length });
      const signed = await signParts(shortLived.url, created.body, [
        { partNumber: 1, size: data.length, checksum: md5Base64(data) },
      ]);
      const [part] = signed.body.parts;
      await new Promise((done) => setTimeout(done, 2500));
      const response = await fetch(part?.url ?? '', { method: 'PUT', headers: part?.headers, body: new Blob([data]) });
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/expired/i);
    } finally {
      await shortLived.close();
    }
  });

  it('abortStaleUploads aborts only uploads older than the cutoff', async () => {
    const a = await started(10 * MiB, 'stale-user');
    const b = await started(10 * MiB, 'stale-user');
    const { s3: s3Config, bucket } = handlerOptions(store);
    const options = { s3: s3Config, bucket, prefix: 'uploads/stale-user/' };
    expect(await abortStaleUploads({ ...options, olderThanMs: 3_600_000 })).toEqual([]);
    const dry = await abortStaleUploads({ ...options, olderThanMs: 0, now: () => Date.now() + 1000, dryRun: true });
    expect(dry.map((upload) => upload.uploadId).sort()).toEqual([a.uploadId, b.uploadId].sort());
    const aborted = await abortStaleUploads({ ...options, olderThanMs: 0, now: () => Date.now() + 1000 });
    expect(aborted).toHaveLength(2);
    await expect(
      s3.send(new ListPartsCommand({ Bucket: store.bucket, Key: a.key, UploadId: a.uploadId })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });
});
