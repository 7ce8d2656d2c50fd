import { createHash } from 'node:crypto';
import type { PartChecksumAlgorithm } from '@tessera/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Gateway } from './s3Gateway.js';

// Presigning is local: nothing is ever sent to this endpoint.
const gateway = createS3Gateway(
  {
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  },
  'bucket',
);

const body = 'part body';
const MD5 = createHash('md5').update(body).digest('base64');
const SHA256 = createHash('sha256').update(body).digest('base64');

type PresignInput = Parameters<typeof gateway.presignUploadPart>[0];

const md5Part: PresignInput = {
  key: 'uploads/ada/f1/Résumé (2).mp4',
  uploadId: 'upload-1',
  partNumber: 3,
  size: 8_388_608,
  checksumAlgorithm: 'md5',
  checksum: MD5,
  expiresInSeconds: 300,
};
const sha256Part: PresignInput = { ...md5Part, checksumAlgorithm: 'sha256', checksum: SHA256 };

async function presign(input: PresignInput) {
  const request = await gateway.presignUploadPart(input);
  const url = new URL(request.url);
  const signedHeaders = (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
  const queryNames = [...url.searchParams.keys()].map((name) => name.toLowerCase());
  return { ...request, parsed: url, signedHeaders, queryNames };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-02T03:04:05Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('presignUploadPart', () => {
  describe.each<{ algorithm: PartChecksumAlgorithm; part: PresignInput; ownChecksumHeader: string | null }>([
    { algorithm: 'md5', part: md5Part, ownChecksumHeader: null },
    { algorithm: 'sha256', part: sha256Part, ownChecksumHeader: 'x-amz-checksum-sha256' },
  ])('with $algorithm', ({ part, ownChecksumHeader }) => {
    it('addresses the part of the upload in the bucket, path style', async () => {
      const { parsed } = await presign(part);
      expect(parsed.origin).toBe('http://127.0.0.1:1');
      expect(parsed.pathname).toBe('/bucket/uploads/ada/f1/R%C3%A9sum%C3%A9%20%282%29.mp4');
      expect(parsed.searchParams.get('partNumber')).toBe('3');
      expect(parsed.searchParams.get('uploadId')).toBe('upload-1');
    });

    it('signs with SigV4 at the current time', async () => {
      const { parsed } = await presign(part);
      expect(parsed.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(parsed.searchParams.get('X-Amz-Date')).toBe('20260102T030405Z');
      expect(parsed.searchParams.get('X-Amz-Credential')).toBe('k/20260102/us-east-1/s3/aws4_request');
      expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each([1, 300, 3_600, 604_800])('sets X-Amz-Expires to expiresInSeconds = %i', async (expiresInSeconds) => {
      const { parsed } = await presign({ ...part, expiresInSeconds });
      expect(parsed.searchParams.get('X-Amz-Expires')).toBe(String(expiresInSeconds));
    });

    it('signs content-length and host', async () => {
      const { signedHeaders } = await presign(part);
      expect(signedHeaders).toContain('content-length');
      expect(signedHeaders).toContain('host');
    });

    it('carries no SDK-invented checksum (an empty-body CRC32 real S3 rejects)', async () => {
      const { queryNames, signedHeaders, headers } = await presign(part);
      const invented = (name: string) => name.startsWith('x-amz-checksum-') && name !== ownChecksumHeader;
      expect(queryNames.filter((name) => name.startsWith('x-amz-checksum-'))).toStrictEqual([]);
      expect(queryNames).not.toContain('x-amz-sdk-checksum-algorithm');
      expect(signedHeaders.filter(invented)).toStrictEqual([]);
      expect(Object.keys(headers).filter(invented)).toStrictEqual([]);
    });

    it('is deterministic for the same input and time', async () => {
      expect((await presign(part)).url).toBe((await presign(part)).url);
    });

    it.each<{ name: string; change: Partial<PresignInput> }>([
      { name: 'size', change: { size: part.size - 1 } },
      { name: 'checksum', change: { checksum: part.checksum.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } },
      { name: 'part number', change: { partNumber: 4 } },
      { name: 'upload id', change: { uploadId: 'upload-2' } },
      { name: 'key', change: { key: 'uploads/ada/f2/talk.webm' } },
    ])('binds the $name into the signature', async ({ change }) => {
      const original = (await presign(part)).parsed.searchParams.get('X-Amz-Signature');
      const changed = (await presign({ ...part, ...change })).parsed.searchParams.get('X-Amz-Signature');
      expect(changed).not.toBe(original);
    });
  });

  describe('with md5', () => {
    it('signs content-length, content-md5 and host', async () => {
      const { signedHeaders } = await presign(md5Part);
      expect(signedHeaders).toStrictEqual(['content-length', 'content-md5', 'host']);
    });

    it('keeps Content-MD5 a header, not a query parameter', async () => {
      const { queryNames } = await presign(md5Part);
      expect(queryNames).not.toContain('content-md5');
    });

    it('returns exactly the content-md5 header for the browser to send', async () => {
      const { headers } = await presign(md5Part);
      expect(headers).toStrictEqual({ 'content-md5': MD5 });
    });
  });

  describe('with none', () => {
    it('signs only content-length and host, and asks for no checksum header', async () => {
      const { headers, signedHeaders } = await presign({ ...md5Part, checksumAlgorithm: 'none', checksum: '' });
      expect(signedHeaders).toStrictEqual(['content-length', 'host']);
      expect(headers).toStrictEqual({});
    });
  });

  describe('with sha256', () => {
    it('returns the x-amz-checksum-sha256 header and signs it', async () => {
      const { headers, signedHeaders } = await presign(sha256Part);
      expect(headers['x-amz-checksum-sha256']).toBe(SHA256);
      expect(signedHeaders).toContain('x-amz-checksum-sha256');
      expect(signedHeaders).not.toContain('content-md5');
    });

    it('does not hoist the checksum into the query', async () => {
      const { queryNames, parsed } = await presign(sha256Part);
      expect(queryNames).not.toContain('x-amz-checksum-sha256');
      expect(parsed.search).not.toContain(encodeURIComponent(SHA256));
    });

    // S3 refuses a presigned request carrying an x-amz-* header it was not signed with (HeadersNotSigned).
    it('asks the browser to send only headers that are signed', async () => {
      const { headers, signedHeaders } = await presign(sha256Part);
      expect(Object.keys(headers).filter((name) => !signedHeaders.includes(name))).toStrictEqual([]);
    });
  });
});
