/**
 * Facts about the embedded store that Tessera's design relies on, checked against the real server so the
 * README's reference section stays true: which per-part checksums does a presigned UploadPart enforce?
 */
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import { testBytes } from '../support/protocolClient.js';

const store = inject('store');
let s3: S3Client;
let uploadId: string;
const Key = 'facts/checksums.bin';
const body = testBytes(64 * 1024, 99);
const other = testBytes(64 * 1024, 98);
const digest = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('base64');

async function presignedPut(
  extra: Record<string, string>,
  signed: string[],
  bytes: Uint8Array<ArrayBuffer>,
  sent: Record<string, string> = extra,
) {
  const command = new UploadPartCommand({ Bucket: store.bucket, Key, UploadId: uploadId, PartNumber: 1 });
  command.middlewareStack.add(
    (next) => (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, extra);
      return next(args);
    },
    { step: 'build' },
  );
  const url = await getSignedUrl(s3, command, {
    expiresIn: 60,
    unhoistableHeaders: new Set(signed),
    signableHeaders: new Set(signed),
  });
  return fetch(url, { method: 'PUT', headers: sent, body: new Blob([bytes]) });
}

beforeAll(async () => {
  s3 = storeClient(store);
  uploadId = (await s3.send(new CreateMultipartUploadCommand({ Bucket: store.bucket, Key }))).UploadId ?? '';
});
afterAll(async () => {
  await s3.send(new AbortMultipartUploadCommand({ Bucket: store.bucket, Key, UploadId: uploadId }));
  s3.destroy();
});

describe('checksums the embedded store enforces on a presigned UploadPart', () => {
  it('Content-MD5: enforced (a different body is refused with BadDigest)', async () => {
    const good = await presignedPut({ 'content-md5': digest('md5', body) }, ['content-md5'], body);
    expect(good.status).toBe(200);
    const bad = await presignedPut({ 'content-md5': digest('md5', body) }, ['content-md5'], other);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('BadDigest');
  });

  it('x-amz-checksum-sha256: not enforced (a wrong digest is accepted)', async () => {
    const headers = { 'x-amz-checksum-sha256': digest('sha256', body), 'x-amz-sdk-checksum-algorithm': 'SHA256' };
    const response = await presignedPut(headers, Object.keys(headers), other);
    expect(response.status).toBe(200);
  });

  it('x-amz-checksum-crc32: not enforced (the SDK-style empty-body CRC32 is accepted)', async () => {
    const headers = { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-sdk-checksum-algorithm': 'CRC32' };
    const response = await presignedPut(headers, Object.keys(headers), body);
    expect(response.status).toBe(200);
  });

  it('signed Content-Length: enforced (a body of another length is refused)', async () => {
    const signedLength = { 'content-length': String(body.length + 1) };
    const response = await presignedPut(signedLength, ['content-length'], body, {});
    expect(response.status).toBe(403);
  });
});
