/**
 * A bench-only S3 signer in Node for the contenders that do not speak Tessera's protocol: the raw loop
 * (create, every UploadPart URL presigned at once, complete) and Uppy 6 (`signRequest`: one presigned URL
 * per S3 request). No part checksum is bound: these contenders hash nothing, as they would in the wild.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RawCompleteRequest, RawCreateRequest, RawCreateResponse, SignableS3Request } from '../page/pageTypes.js';

/** Presigned URLs live long enough for a 4 GiB run at 16 MB/s. */
const URL_TTL_SECONDS = 3600;

export interface BenchSigner {
  /** Create a multipart upload and presign every UploadPart URL (raw contender). */
  rawCreate(request: RawCreateRequest): Promise<RawCreateResponse>;
  rawComplete(request: RawCompleteRequest): Promise<void>;
  /** Presign one S3 request (Uppy's `signRequest`). */
  sign(request: SignableS3Request): Promise<string>;
}

export function createBenchSigner(client: S3Client, bucket: string): BenchSigner {
  const ttl = { expiresIn: URL_TTL_SECONDS };

  return {
    async rawCreate({ key, size, partSize }) {
      const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      const uploadId = created.UploadId;
      if (!uploadId) throw new Error('CreateMultipartUpload answered no UploadId');
      const partCount = Math.max(1, Math.ceil(size / partSize));
      const urls = await Promise.all(
        Array.from({ length: partCount }, (_, index) =>
          getSignedUrl(client, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: index + 1 }), ttl),
        ),
      );
      return { uploadId, key, urls };
    },

    async rawComplete({ key, uploadId, parts }) {
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag })) },
        }),
      );
    },

    sign(request) {
      const { key, uploadId, partNumber } = request;
      const target = { Bucket: bucket, Key: key };
      if (request.method === 'PUT' && uploadId !== undefined && partNumber !== undefined) {
        return getSignedUrl(client, new UploadPartCommand({ ...target, UploadId: uploadId, PartNumber: partNumber }), ttl);
      }
      if (request.method === 'PUT') return getSignedUrl(client, new PutObjectCommand(target), ttl);
      if (uploadId === undefined) {
        if (request.method === 'POST') return getSignedUrl(client, new CreateMultipartUploadCommand(target), ttl);
        throw new Error(`cannot sign ${request.method} without an upload id`);
      }
      if (request.method === 'POST') return getSignedUrl(client, new CompleteMultipartUploadCommand({ ...target, UploadId: uploadId }), ttl);
      if (request.method === 'GET') return getSignedUrl(client, new ListPartsCommand({ ...target, UploadId: uploadId }), ttl);
      return getSignedUrl(client, new AbortMultipartUploadCommand({ ...target, UploadId: uploadId }), ttl);
    },
  };
}
