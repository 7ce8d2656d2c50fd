/**
 * `@aws-sdk/lib-storage`'s `Upload` in the page, signing with the local store's test credentials. The store
 * answers create and complete without CORS headers, so this contender runs in a Chromium started with
 * `--disable-web-security` (see bench/README.md).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { benchConfig } from '../benchApi.js';

export async function uploadWithLibStorage(
  file: File,
  options: { key: string; partSize: number; concurrency: number },
): Promise<{ key: string }> {
  const { store } = await benchConfig();
  const client = new S3Client({
    endpoint: store.endpoint,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    const upload = new Upload({
      client,
      params: { Bucket: store.bucket, Key: options.key, Body: file, ContentType: file.type || undefined },
      queueSize: options.concurrency,
      partSize: options.partSize,
      leavePartsOnError: false,
    });
    await upload.done();
    return { key: options.key };
  } finally {
    client.destroy();
  }
}
