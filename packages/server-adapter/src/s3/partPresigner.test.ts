import { S3Client, type S3ClientConfig, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PartChecksumAlgorithm } from '@tessera/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPartPresigner } from './partPresigner.js';

// The reference: an UploadPart command presigned by the SDK's own getSignedUrl, as the gateway once did.
async function sdkPresign(client: S3Client, bucket: string, input: Parameters<ReturnType<typeof createPartPresigner>>[0]) {
  const digestHeaders = { md5: ['content-md5'], sha256: ['x-amz-checksum-sha256', 'x-amz-sdk-checksum-algorithm'], none: [] }[
    input.checksumAlgorithm
  ];
  const command = new UploadPartCommand({
    Bucket: bucket,
    Key: input.key,
    UploadId: input.uploadId,
    PartNumber: input.partNumber,
    ContentLength: input.size,
    ...(input.checksumAlgorithm === 'md5' && { ContentMD5: input.checksum }),
    ...(input.checksumAlgorithm === 'sha256' && { ChecksumSHA256: input.checksum, ChecksumAlgorithm: 'SHA256' as const }),
  });
  return getSignedUrl(client, command, {
    expiresIn: input.expiresInSeconds,
    unhoistableHeaders: new Set(digestHeaders),
    signableHeaders: new Set([...digestHeaders, 'content-length']),
  });
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const localStore: S3ClientConfig = { endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true, credentials };
const stores: Array<{ name: string; bucket: string; config: S3ClientConfig }> = [
  { name: 'a local store, path style, with a port', bucket: 'tessera', config: localStore },
  { name: 'AWS S3, virtual-hosted', bucket: 'tessera-media', config: { region: 'eu-west-1', credentials } },
  {
    name: 'AWS S3 with a session token',
    bucket: 'tessera-media',
    config: { region: 'ap-southeast-2', credentials: { ...credentials, sessionToken: 'FwoGZXIvYXdzE/token+with=chars' } },
  },
  {
    name: 'a custom https endpoint, virtual-hosted',
    bucket: 'media',
    config: { endpoint: 'https://storage.example.com', region: 'auto', credentials },
  },
  {
    name: 'a custom endpoint with a base path',
    bucket: 'media',
    config: { endpoint: 'https://gateway.example.com/s3/', region: 'us-east-1', forcePathStyle: true, credentials },
  },
  {
    name: 'a directory bucket signed as s3express without sessions',
    bucket: 'tessera--usw2-az1--x-s3',
    config: { region: 'us-west-2', disableS3ExpressSessionAuth: true, credentials },
  },
];

const keys = ['uploads/ada/f1/clip.mp4', "uploads/zoë/f2/Résumé (2) [final]!*'~ +&=?#%.mp4", 'uploads/a//b/./c/../d'];
const checksums: Record<PartChecksumAlgorithm, string> = {
  md5: 'XrY7u+Ae7tCTyyK7j1rNww==',
  sha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  none: '',
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-04T05:06:07Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createPartPresigner', () => {
  describe.each(stores)('on $name', ({ bucket, config }) => {
    const client = new S3Client({ ...config, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const presign = createPartPresigner(client, bucket);

    it.each((['md5', 'sha256', 'none'] as const).flatMap((algorithm) => keys.map((key) => ({ algorithm, key }))))(
      'gives the URL the SDK gives ($algorithm, $key)',
      async ({ algorithm, key }) => {
        const input = {
          key,
          uploadId: 'VXBsb2FkIElE/+=',
          partNumber: 9_999,
          size: 8_388_608,
          checksumAlgorithm: algorithm,
          checksum: checksums[algorithm],
          expiresInSeconds: 900,
        };
        const lean = await presign(input);
        expect(lean.url).toBe(await sdkPresign(client, bucket, input));
      },
    );
  });

  it('signs again with the new day (the cached signing key is per day)', async () => {
    const client = new S3Client({ ...localStore, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const presign = createPartPresigner(client, 'tessera');
    const input = {
      key: 'uploads/ada/f1/clip.mp4',
      uploadId: 'u',
      partNumber: 1,
      size: 5,
      checksumAlgorithm: 'md5' as const,
      checksum: checksums.md5,
      expiresInSeconds: 60,
    };
    const today = new URL((await presign(input)).url);
    vi.setSystemTime(new Date('2026-03-05T00:00:01Z'));
    const tomorrow = new URL((await presign(input)).url);
    expect(tomorrow.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260305/us-east-1/s3/aws4_request');
    expect(tomorrow.searchParams.get('X-Amz-Signature')).not.toBe(today.searchParams.get('X-Amz-Signature'));
    expect(tomorrow.toString()).toBe(await sdkPresign(client, 'tessera', input));
  });
});
