import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { normalizeEtag, TesseraError, type UploadedPart } from '@tessera/core';
import type { PendingUpload, S3Gateway, StoredObject } from '../types.js';
import { createPartPresigner } from './partPresigner.js';

export type { S3ClientConfig };

const unquoteEtag = (etag: string | undefined) => normalizeEtag(etag ?? '');

function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function translate(error: unknown, what: string): TesseraError {
  if (error instanceof TesseraError) return error;
  const name = error instanceof S3ServiceException ? error.name : undefined;
  // Some stores (Swift) answer NoSuchKey for an upload that no longer exists.
  if (name === 'NoSuchUpload' || name === 'NoSuchKey') {
    return new TesseraError('upload-not-found', 'the store has no such upload (completed, aborted or expired)', {
      cause: error,
    });
  }
  return new TesseraError('store-error', `the store failed to ${what}${name ? ` (${name})` : ''}`, {
    retryable: true,
    cause: error,
  });
}

/**
 * Create an {@link S3Gateway} over the AWS SDK. Works unchanged against AWS S3, R2, MinIO or the
 * embedded Swift store: only `config` differs. Presigned UploadPart URLs carry no SDK-invented checksum
 * (`requestChecksumCalculation: 'WHEN_REQUIRED'`, which real S3 needs) and bind the part's exact
 * length and digest, so the store itself rejects a different or corrupted body.
 */
export function createS3Gateway(config: S3ClientConfig, bucket: string): S3Gateway {
  const client = new S3Client({
    ...config,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = bucket;
  return {
    async createMultipartUpload({ key, contentType, metadata, checksumAlgorithm }) {
      try {
        const result = await client.send(
          new CreateMultipartUploadCommand({
            Bucket,
            Key: key,
            ContentType: contentType,
            Metadata: metadata,
            // S3 accepts per-part SHA-256 checksums only on an upload created for them.
            ...(checksumAlgorithm === 'sha256' && { ChecksumAlgorithm: 'SHA256' }),
          }),
        );
        if (!result.UploadId) throw new Error('no UploadId in the answer');
        return { uploadId: result.UploadId };
      } catch (error) {
        throw translate(error, 'start the upload');
      }
    },

    presignUploadPart: createPartPresigner(client, bucket),

    async listParts({ key, uploadId }) {
      const parts: UploadedPart[] = [];
      let marker: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListPartsCommand({ Bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
          );
          for (const part of page.Parts ?? []) {
            parts.push({
              partNumber: part.PartNumber ?? 0,
              size: part.Size ?? 0,
              etag: unquoteEtag(part.ETag),
              ...(part.ChecksumSHA256 && { checksumSha256: part.ChecksumSHA256 }),
            });
          }
          marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
        } while (marker);
      } catch (error) {
        throw translate(error, 'list the parts');
      }
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    async completeMultipartUpload({ key, uploadId, parts }) {
      try {
        const result = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: {
              Parts: parts.map((part) => ({
                PartNumber: part.partNumber,
                ETag: `"${part.etag}"`,
                ...(part.checksumSha256 && { ChecksumSHA256: part.checksumSha256 }),
              })),
            },
          }),
        );
        return { etag: unquoteEtag(result.ETag) };
      } catch (error) {
        throw translate(error, 'complete the upload');
      }
    },

    async abortMultipartUpload({ key, uploadId }) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId }));
      } catch (error) {
        throw translate(error, 'abort the upload');
      }
    },

    async headObject({ key }): Promise<StoredObject | null> {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { etag: unquoteEtag(head.ETag), size: head.ContentLength ?? 0, metadata: head.Metadata ?? {} };
      } catch (error) {
        if (httpStatusOf(error) === 404) return null;
        throw translate(error, 'look up the object');
      }
    },

    async putRecord({ key, body }) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: 'application/json', CacheControl: 'no-store' }),
        );
      } catch (error) {
        // Swift refuses (409) a write older than one of the same key that landed first: the newer one stands,
        // as it would have had this write landed first.
        if (httpStatusOf(error) === 409) return;
        throw translate(error, 'write a record');
      }
    },

    async getRecord({ key }) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        const body = (await object.Body?.transformToString('utf-8')) ?? '';
        return { body, lastModified: object.LastModified ?? new Date(0) };
      } catch (error) {
        if (httpStatusOf(error) === 404) return null;
        throw translate(error, 'read a record');
      }
    },

    async listRecords({ prefix }) {
      const records: Array<{ key: string; lastModified: Date }> = [];
      let token: string | undefined;
      try {
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
          for (const object of page.Contents ?? []) {
            if (object.Key) records.push({ key: object.Key, lastModified: object.LastModified ?? new Date(0) });
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw translate(error, 'list records');
      }
      return records;
    },

    async deleteRecord({ key }) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (error) {
        // Gone already, or (Swift, 409) written again after this delete was sent: the newer write stands.
        if (httpStatusOf(error) === 404 || httpStatusOf(error) === 409) return;
        throw translate(error, 'delete a record');
      }
    },

    async *listMultipartUploads({ prefix }): AsyncIterable<PendingUpload> {
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const page = await client
          .send(
            new ListMultipartUploadsCommand({
              Bucket,
              Prefix: prefix,
              KeyMarker: keyMarker,
              UploadIdMarker: uploadIdMarker,
            }),
          )
          .catch((error: unknown) => {
            throw translate(error, 'list the open uploads');
          });
        for (const upload of page.Uploads ?? []) {
          if (upload.Key && upload.UploadId) {
            yield { key: upload.Key, uploadId: upload.UploadId, initiated: upload.Initiated ?? new Date(0) };
          }
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (keyMarker);
    },
  };
}
