/**
 * Uppy 6 (`@uppy/core` + `@uppy/aws-s3`) with its `signRequest` callback, which asks a backend for one
 * presigned URL per S3 request; here the bench app's signer. Uppy 6 has no part-level callbacks and never
 * sees a part's bytes at signing time, so it cannot bind a Content-MD5 and cannot use Tessera's handler.
 * It uploads one file's parts one after another: `limit` is a number of files, so `concurrency` does not
 * apply to a single file.
 */
import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';
import { postJson } from '../benchApi.js';
import type { SignableS3Request } from '../pageTypes.js';

export async function uploadWithUppy(
  file: File,
  options: { key: string; partSize: number; concurrency: number },
): Promise<{ key: string }> {
  const uppy = new Uppy({ autoProceed: false });
  uppy.use(AwsS3, {
    shouldUseMultipart: true,
    limit: options.concurrency,
    getChunkSize: () => options.partSize,
    generateObjectKey: () => options.key,
    signRequest: (request) => {
      const body: SignableS3Request = {
        method: request.method,
        key: request.key,
        ...('uploadId' in request && { uploadId: request.uploadId }),
        ...('partNumber' in request && { partNumber: request.partNumber }),
      };
      return postJson<{ url: string }>('/bench/sign', body);
    },
  });
  try {
    uppy.addFile({ name: file.name, type: file.type || 'application/octet-stream', data: file, source: 'bench' });
    const result = await uppy.upload();
    const failed = result?.failed ?? [];
    if (failed.length > 0) throw new Error(`uppy: ${String(failed[0]?.error)}`);
    if (!result?.successful?.length) throw new Error('uppy: nothing uploaded');
    return { key: options.key };
  } finally {
    uppy.destroy();
  }
}
