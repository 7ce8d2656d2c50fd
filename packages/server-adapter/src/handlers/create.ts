import { type CreateUploadResponse, planPartSize, planParts, TesseraError } from '@tessera/core';
import type { HandlerContext } from '../context.js';
import { OBJECT_ID_METADATA } from '../intents.js';
import { objectKeyProblem } from '../s3/objectKey.js';
import { checkFileName, createUploadSchema, normalizeContentType, parseBody, typeAllowed } from '../validate.js';

export const CREATE_BODY_LIMIT = 16 * 1024;

/** `POST v1/uploads`: check the request against the policy, then start a multipart upload. */
export async function createUpload(context: HandlerContext): Promise<CreateUploadResponse> {
  const input = parseBody(createUploadSchema, await context.readJson(CREATE_BODY_LIMIT));
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

  const objectId = crypto.randomUUID();
  const key = await context.objectKey({
    userId: context.identity.userId,
    fileName: input.fileName,
    contentType,
    size,
    randomId: objectId,
  });
  // Checked like a name, before any store call: a hook may keep characters of the name that no listing carries.
  const problem =
    typeof key !== 'string'
      ? 'it is not a string'
      : key.startsWith(context.intentPrefix)
        ? `it is inside ${context.intentPrefix}, where the handler keeps its records`
        : objectKeyProblem(key);
  if (problem !== null) {
    throw new TesseraError('invalid-file-name', `fileName cannot be stored: the object key made from it is unusable (${problem})`, {
      field: 'fileName',
    });
  }

  const metadata: Record<string, string> = { [OBJECT_ID_METADATA]: objectId };
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
    objectId,
    userId: context.identity.userId,
    size,
    maxSize: policy.maxFileSize,
    minSize: policy.minFileSize,
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
