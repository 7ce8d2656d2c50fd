import { type PartChecksumAlgorithm, TesseraError, UPLOAD_TOKEN_HEADER } from '@tessera/core';
import type { UploadTokens } from './token.js';
import type { ObjectKeyInput, S3Gateway, UploadIdentity, UploadPolicy, UploadTokenClaims } from './types.js';

const MiB = 1024 * 1024;

/** Policy with every default filled in. */
export type ResolvedPolicy = Required<UploadPolicy>;

export const DEFAULT_POLICY: ResolvedPolicy = {
  maxFileSize: 50 * 1024 * MiB,
  minFileSize: 1,
  allowedTypes: ['*/*'],
  allowUnknownSize: true,
  preferredPartSize: 8 * MiB,
  minPartSize: 5 * MiB,
  maxSignBatch: 100,
};

/** What every operation gets: the request, who is asking, and the handler's collaborators. */
export interface HandlerContext {
  request: Request;
  identity: UploadIdentity;
  policy: ResolvedPolicy;
  gateway: S3Gateway;
  tokens: UploadTokens;
  objectKey: (input: ObjectKeyInput) => string | Promise<string>;
  urlTtlSeconds: number;
  tokenTtlSeconds: number;
  checksumAlgorithm: PartChecksumAlgorithm;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/**
 * The upload a post-create request is about: its token must be genuine and unexpired, belong to the
 * user asking, and name the upload in the path. Nothing reaches the store before this passes.
 */
export async function requireUpload(context: HandlerContext, uploadId: string): Promise<UploadTokenClaims> {
  const token = context.request.headers.get(UPLOAD_TOKEN_HEADER);
  if (!token) {
    throw new TesseraError('token-missing', `the ${UPLOAD_TOKEN_HEADER} header is required`, {
      field: UPLOAD_TOKEN_HEADER,
    });
  }
  const claims = await context.tokens.verify(token, Math.floor(context.now() / 1000));
  if (claims.userId !== context.identity.userId) {
    throw new TesseraError('forbidden', 'this upload belongs to another user');
  }
  if (claims.uploadId !== uploadId) {
    throw new TesseraError('token-mismatch', 'the upload token is for another upload', { field: 'uploadId' });
  }
  return claims;
}

/**
 * Throw `upload-not-found` when the upload's object already exists: keys are unique per upload, so the
 * upload was completed. Stores differ in what they answer for a completed upload (S3: NoSuchUpload;
 * Swift still lists its parts), so the object itself is the evidence.
 */
export async function requireOpen(context: HandlerContext, claims: UploadTokenClaims): Promise<void> {
  if (await context.gateway.headObject({ key: claims.key })) {
    throw new TesseraError('upload-not-found', 'this upload is already complete');
  }
}

/** Expected size of part `partNumber` of an upload of known size, or `null` when the size is unknown. */
export function expectedPartSize(claims: UploadTokenClaims, partNumber: number): number | null {
  if (claims.size === null || claims.partCount === null) return null;
  return partNumber < claims.partCount ? claims.partSize : claims.size - (claims.partCount - 1) * claims.partSize;
}
