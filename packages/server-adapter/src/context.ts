import { type PartChecksumAlgorithm, S3_LIMITS, TesseraError, UPLOAD_TOKEN_HEADER } from '@tessera/core';
import type { ObjectLimit } from './http.js';
import { OBJECT_ID_METADATA } from './intents.js';
import type { UploadTokens } from './token.js';
import type {
  CompletedUpload,
  ObjectKeyInput,
  S3Gateway,
  StoredObject,
  UploadIdentity,
  UploadPolicy,
  UploadTokenClaims,
} from './types.js';

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
  /** Key prefix of the intent records complete and abort coordinate through. */
  intentPrefix: string;
  /** The app's completion hook. */
  onComplete: ((event: CompletedUpload) => void | Promise<void>) | undefined;
  /** Report an error the request survives (answered normally), e.g. a record that could not be deleted. */
  report: (error: unknown) => void;
  /** Read the request's JSON body, at most `limit` bytes (and, with `objects`, at most that many objects). */
  readJson: (limit: number, objects?: ObjectLimit) => Promise<unknown>;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Wait `ms` milliseconds. */
  sleep: (ms: number) => Promise<void>;
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

/** Whether `object` is the one this upload assembled (it carries the upload's object id), not another's at the key. */
export function isUploadsObject(object: StoredObject | null, claims: UploadTokenClaims): object is StoredObject {
  return object !== null && object.metadata[OBJECT_ID_METADATA] === claims.objectId;
}

export function alreadyCompleted(): TesseraError {
  return new TesseraError('upload-completed', 'this upload is already complete');
}

/**
 * Throw `upload-completed` when the upload's object exists. Stores differ in what they answer for a
 * completed upload (S3: NoSuchUpload; Swift still lists its parts and even accepts new ones), so the
 * object itself is the evidence.
 */
export async function requireNotCompleted(context: HandlerContext, claims: UploadTokenClaims): Promise<void> {
  if (isUploadsObject(await context.gateway.headObject({ key: claims.key }), claims)) throw alreadyCompleted();
}

/** Most parts an upload may have: its plan's count, or for a growing source what its maximum size needs. */
export function maxPartsOf(claims: UploadTokenClaims): number {
  return claims.partCount ?? Math.min(S3_LIMITS.maxParts, Math.ceil(claims.maxSize / claims.partSize));
}

/** Expected size of part `partNumber` of an upload of known size, or `null` when the size is unknown. */
export function expectedPartSize(claims: UploadTokenClaims, partNumber: number): number | null {
  if (claims.size === null || claims.partCount === null) return null;
  return partNumber < claims.partCount ? claims.partSize : claims.size - (claims.partCount - 1) * claims.partSize;
}
