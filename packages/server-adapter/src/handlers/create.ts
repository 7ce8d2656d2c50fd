import { type CreateUploadResponse, planPartSize, planParts, TesseraError } from '@tessera/core';
import type { HandlerContext } from '../context.js';
import { validObjectKey } from '../s3/objectKey.js';
import { checkFileName, createUploadSchema, normalizeContentType, parseBody, typeAllowed } from '../validate.js';

/** `POST v1/uploads`: check the request against the policy, then start a multipart upload. */
export async function createUpload(context: HandlerContext, body: unknown): Promise<CreateUploadResponse> {
  const input = parseBody(createUploadSchema, body);
  const { policy } = context;
  checkFileName(input.fileName);
  const contentType = normalizeContentType(input.contentType);
  if (!typeAllowed(contentType, policy.allowedTypes)) {
    throw new TesseraError('type-not-allowed', `files of type ${contentType} are not accepted`, {
      field: 'contentType',
    });
  }
  const size = input.size ?? null;
  if (size === null && !policy.allowUnknownSize) {
    throw new TesseraError('unknown-size-not-allowed', 'size is required', { field: 'size' });
  }
  if (size !== null && size > policy.maxFileSize) {
    throw new TesseraError('file-too-large', `size must be at most ${policy.maxFileSize} bytes`, { field: 'size' });
  }
  if (size !== null && size < policy.minFileSize) {
    throw new TesseraError('file-too-small', `size must be at least ${policy.minFileSize} bytes`, { field: 'size' });
  }
  const planOptions = { preferredPartSize: policy.preferredPartSize, minPartSize: policy.minPartSize };
  // A growing source gets a part size that lets it reach the policy's maximum within 10,000 parts.
  const plan =
    size === null
      ? { partSize: planPartSize(policy.maxFileSize, planOptions), partCount: null }
      : planParts(size, planOptions);

  const key = await context.objectKey({
    userId: context.identity.userId,
    fileName: input.fileName,
    contentType,
    size,
    randomId: crypto.randomUUID(),
  });
  if (!validObjectKey(key)) throw new Error(`objectKey returned an unusable key: ${JSON.stringify(key)}`);

  const metadata: Record<string, string> = {};
  if (input.sha256) metadata.sha256 = input.sha256;
  const { uploadId } = await context.gateway.createMultipartUpload({
    key,
    contentType,
    metadata,
    checksumAlgorithm: context.checksumAlgorithm,
  });
  const expiresAt = Math.floor(context.now() / 1000) + context.tokenTtlSeconds;
  const token = await context.tokens.sign({
    uploadId,
    key,
    userId: context.identity.userId,
    size,
    partSize: plan.partSize,
    partCount: plan.partCount,
    contentType,
    sha256: input.sha256 ?? null,
    checksumAlgorithm: context.checksumAlgorithm,
    expiresAt,
  });
  return {
    uploadId,
    key,
    partSize: plan.partSize,
    partCount: plan.partCount,
    size,
    token,
    tokenExpiresAt: new Date(expiresAt * 1000).toISOString(),
    checksumAlgorithm: context.checksumAlgorithm,
    maxSignBatch: policy.maxSignBatch,
  };
}
