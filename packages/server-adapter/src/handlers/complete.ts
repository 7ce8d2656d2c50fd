import { type CompleteUploadResponse, isTesseraError, multipartEtag, normalizeEtag, TesseraError } from '@tessera/core';
import { createMD5 } from 'hash-wasm';
import {
  alreadyCompleted,
  type HandlerContext,
  isUploadsObject,
  maxPartsOf,
  requireUpload,
} from '../context.js';
import { deliverCompletion } from '../deliverCompletion.js';
import { uploadIntents } from '../intents.js';
import type { CompletedUpload, StoredObject, StoredPart, UploadTokenClaims } from '../types.js';
import { completeUploadSchema, parseBody } from '../validate.js';

const MD5_HEX = /^[0-9a-f]{32}$/;
/** Largest complete body: 10,000 parts of ~70 bytes each fit with room to spare. */
export const COMPLETE_BODY_LIMIT = 1024 * 1024;

type CompleteInput = ReturnType<typeof completeUploadSchema.parse>;

/** The multipart ETag S3 gives an object assembled from parts with these ETags (MD5s), or `null` for others. */
async function expectedEtag(partEtags: string[]): Promise<string | null> {
  if (!partEtags.every((etag) => MD5_HEX.test(etag))) return null;
  const hasher = await createMD5();
  return multipartEtag(partEtags, (bytes) => hasher.init().update(bytes).digest('hex'));
}

/** The final size: the declared one, or for a growing source the client's, within the policy bound at create. */
function finalSize(claims: UploadTokenClaims, input: CompleteInput): number {
  const refuse = (code: 'file-too-large' | 'file-too-small' | 'size-mismatch' | 'invalid-field', message: string) =>
    new TesseraError(code, `size ${message}`, { field: 'size' });
  if (claims.size !== null) {
    if (input.size !== undefined && input.size !== claims.size) {
      throw refuse('size-mismatch', `was declared as ${claims.size} bytes at create`);
    }
    return claims.size;
  }
  if (input.size === undefined) throw refuse('invalid-field', 'is required for an upload started without a size');
  if (input.size > claims.maxSize) throw refuse('file-too-large', `must be at most ${claims.maxSize} bytes`);
  if (input.size < claims.minSize) throw refuse('file-too-small', `must be at least ${claims.minSize} bytes`);
  return input.size;
}

/** Check the listed parts against the store's: all present, same ETags, sizes as planned and adding up. */
function checkAgainstStore(
  claims: UploadTokenClaims,
  input: CompleteInput,
  stored: Map<number, { size: number; etag: string }>,
  size: number,
): void {
  let total = 0;
  input.parts.forEach((part, index) => {
    const held = stored.get(part.partNumber);
    const at = { field: `parts.${index}`, partNumber: part.partNumber };
    if (!held) throw new TesseraError('parts-missing', `the store does not have part ${part.partNumber}`, at);
    if (normalizeEtag(held.etag) !== normalizeEtag(part.etag)) {
      throw new TesseraError('etag-mismatch', `part ${part.partNumber}'s ETag differs from the store's`, {
        ...at,
        field: `parts.${index}.etag`,
      });
    }
    const last = index === input.parts.length - 1;
    if ((!last && held.size !== claims.partSize) || (last && held.size > claims.partSize)) {
      throw new TesseraError('size-mismatch', `part ${part.partNumber} has ${held.size} bytes in the store`, at);
    }
    total += held.size;
  });
  if (total !== size) {
    throw new TesseraError('size-mismatch', `the parts hold ${total} bytes, not ${size}`, { field: 'size' });
  }
}

/** Check the list itself: parts 1..N once each, in order, N the planned count. */
function checkPartNumbers(input: CompleteInput, partCount: number): void {
  input.parts.forEach((part, index) => {
    if (part.partNumber < 1 || part.partNumber > partCount) {
      throw new TesseraError('part-out-of-range', `partNumber must be between 1 and ${partCount}`, {
        field: `parts.${index}.partNumber`,
      });
    }
    if (part.partNumber !== index + 1) {
      throw new TesseraError('invalid-field', 'parts must be listed once each, in ascending order', {
        field: `parts.${index}.partNumber`,
      });
    }
  });
  if (input.parts.length !== partCount) {
    throw new TesseraError('parts-missing', `all ${partCount} parts must be listed`, { field: 'parts' });
  }
}

/** The object the store holds now, required to be this upload's, of `size` bytes and (where known) `etag`. */
async function verifiedObject(
  context: HandlerContext,
  claims: UploadTokenClaims,
  size: number,
  etag: string | null,
): Promise<StoredObject> {
  const object = await context.gateway.headObject({ key: claims.key });
  if (!isUploadsObject(object, claims) || object.size !== size) {
    throw new TesseraError('integrity-mismatch', `the store did not assemble ${size} bytes at ${claims.key}`);
  }
  if (etag !== null && normalizeEtag(object.etag) !== etag) {
    throw new TesseraError('integrity-mismatch', `the stored object's ETag ${object.etag} is not ${etag}`);
  }
  return object;
}

/**
 * `POST v1/uploads/:uploadId/complete`: check the client's parts against the store's (every part present,
 * ETags equal, sizes add up to the declared size), assemble the object, check its size and multipart ETag,
 * then run `onComplete`; the answer is 200 only once the hook has returned. A refused request leaves the
 * upload as it was. Completing again answers the same (a retry after a lost answer succeeds) and runs the
 * hook again only when no earlier run is known to have succeeded. An abort racing this request either
 * wins before anything is assembled (this one answers `upload-busy`) or stands back (see `intents.ts`).
 */
export async function completeUpload(context: HandlerContext, uploadId: string): Promise<CompleteUploadResponse> {
  const claims = await requireUpload(context, uploadId);
  const maxParts = maxPartsOf(claims);
  const tooMany = () =>
    new TesseraError('too-many-parts', `parts: this upload has at most ${maxParts}`, { field: 'parts' });
  // One object per part and one around them.
  const body = await context.readJson(COMPLETE_BODY_LIMIT, { maxObjects: maxParts + 1, error: tooMany });
  const input = parseBody(completeUploadSchema, body, { maxParts, error: tooMany });
  const size = finalSize(claims, input);
  if (claims.sha256 !== null && input.sha256 !== undefined && input.sha256 !== claims.sha256) {
    throw new TesseraError('checksum-mismatch', 'sha256 differs from the one declared at create', { field: 'sha256' });
  }
  const partCount = claims.partCount ?? input.parts.length;
  checkPartNumbers(input, partCount);
  const listedEtags = input.parts.map((part) => normalizeEtag(part.etag));
  const intents = await uploadIntents<CompletedUpload>(context.gateway, context.intentPrefix, claims, context.now);
  const answer = (etag: string): CompleteUploadResponse => ({ key: claims.key, size, etag, partCount });

  // Assembled by an earlier request: the same parts get the same answer, anything else is refused.
  const replay = async (object: StoredObject): Promise<CompleteUploadResponse> => {
    const expected = await expectedEtag(listedEtags);
    if (object.size !== size || (expected !== null && normalizeEtag(object.etag) !== expected)) {
      throw alreadyCompleted();
    }
    const event = completedEvent(claims, input, normalizeEtag(object.etag), true);
    await deliverCompletion(context, intents, { claimant: crypto.randomUUID(), event });
    return answer(event.etag);
  };
  // Whether a racing complete assembled the object: the object itself says so (HEAD), not the error.
  const assembled = async (): Promise<StoredObject | null> => {
    const object = await context.gateway.headObject({ key: claims.key });
    return isUploadsObject(object, claims) ? object : null;
  };
  // After an error saying the store has no such upload: was it completed meanwhile (S3 forgets it then)?
  const completedMeanwhile = (error: unknown): Promise<StoredObject | null> =>
    isTesseraError(error, 'upload-not-found') ? assembled() : Promise.resolve(null);

  const existing = await context.gateway.headObject({ key: claims.key });
  if (isUploadsObject(existing, claims)) return replay(existing);

  let listed: StoredPart[];
  try {
    listed = await context.gateway.listParts({ key: claims.key, uploadId });
  } catch (error) {
    const object = await completedMeanwhile(error);
    if (object) return replay(object);
    throw error;
  }
  const stored = new Map(listed.map((part) => [part.partNumber, part]));
  checkAgainstStore(claims, input, stored, size);
  const etags = input.parts.map((part) => normalizeEtag((stored.get(part.partNumber) ?? part).etag));
  const expected = await expectedEtag(etags);

  const claim = { claimant: crypto.randomUUID(), event: completedEvent(claims, input, expected ?? '', false) };
  const [endComplete] = await Promise.all([intents.begin('complete'), intents.writeDelivery(claim)]);
  // This request's record keeps aborts away until the object exists; it stays behind only when the store
  // may still be assembling after a failure without an answer (a timeout, a 5xx), and then expires.
  let uncertain = false;
  let etag: string;
  try {
    if (await intents.underWay('abort')) {
      throw new TesseraError('upload-busy', 'this upload is being cancelled', { retryable: true });
    }
    try {
      ({ etag } = await context.gateway.completeMultipartUpload({
        key: claims.key,
        uploadId,
        parts: input.parts.map((part, index) => {
          const checksumSha256 = stored.get(part.partNumber)?.checksumSha256;
          return { partNumber: part.partNumber, etag: etags[index] as string, ...(checksumSha256 && { checksumSha256 }) };
        }),
      }));
    } catch (error) {
      // A racing complete may have assembled the object first: S3 then answers NoSuchUpload, Swift may refuse
      // one of two manifests written at once. Either way the object, checked below, is what counts.
      const object = await assembled();
      uncertain = object === null && isTesseraError(error, 'store-error');
      if (!object) throw error;
      etag = object.etag;
    }
  } finally {
    if (!uncertain) await endComplete().catch(context.report);
  }
  const object = await verifiedObject(context, claims, size, expected);
  // The ETag verified on the object (the one a replay answers), not whatever the store's complete answer named.
  const event = { ...claim.event, etag: expected ?? normalizeEtag(etag || object.etag) };
  await deliverCompletion(context, intents, { ...claim, event });
  return answer(event.etag);
}

function completedEvent(claims: UploadTokenClaims, input: CompleteInput, etag: string, replayed: boolean): CompletedUpload {
  return {
    uploadId: claims.uploadId,
    key: claims.key,
    size: finalSize(claims, input),
    etag,
    partCount: claims.partCount ?? input.parts.length,
    userId: claims.userId,
    contentType: claims.contentType,
    sha256: claims.sha256 ?? input.sha256 ?? null,
    replayed,
  };
}
