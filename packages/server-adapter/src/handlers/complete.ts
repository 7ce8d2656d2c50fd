import { type CompleteUploadResponse, multipartEtag, normalizeEtag, TesseraError } from '@tessera/core';
import { createMD5 } from 'hash-wasm';
import { type HandlerContext, requireUpload } from '../context.js';
import { completeUploadSchema, parseBody } from '../validate.js';

const MD5_HEX = /^[0-9a-f]{32}$/;

/** The multipart ETag S3 gives an object assembled from parts with these ETags (MD5s). */
async function expectedEtag(partEtags: string[]): Promise<string> {
  const hasher = await createMD5();
  return multipartEtag(partEtags, (bytes) => hasher.init().update(bytes).digest('hex'));
}

/**
 * `POST v1/uploads/:uploadId/complete`: check the client's parts against the store's (every part present,
 * ETags equal, sizes add up to the declared size), then assemble the object and check its multipart ETag.
 * A refused request leaves the upload as it was, so the client can fix it and try again. Completing
 * again with the same parts answers the same (so a retry after a lost answer succeeds).
 */
export async function completeUpload(
  context: HandlerContext,
  uploadId: string,
  body: unknown,
): Promise<{ response: CompleteUploadResponse; replayed: boolean }> {
  const claims = await requireUpload(context, uploadId);
  const input = parseBody(completeUploadSchema, body);

  let size: number;
  if (claims.size === null) {
    if (input.size === undefined) {
      throw new TesseraError('invalid-field', 'size: required for an upload started without a size', {
        field: 'size',
      });
    }
    if (input.size > context.policy.maxFileSize) {
      throw new TesseraError('file-too-large', `size must be at most ${context.policy.maxFileSize} bytes`, {
        field: 'size',
      });
    }
    size = input.size;
  } else {
    if (input.size !== undefined && input.size !== claims.size) {
      throw new TesseraError('size-mismatch', `size was declared as ${claims.size} bytes at create`, {
        field: 'size',
      });
    }
    size = claims.size;
  }
  if (claims.sha256 !== null && input.sha256 !== undefined && input.sha256 !== claims.sha256) {
    throw new TesseraError('checksum-mismatch', 'sha256 differs from the one declared at create', {
      field: 'sha256',
    });
  }

  const partCount = claims.partCount ?? input.parts.length;
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

  // Keys are unique per upload: an existing object means this upload was completed already. The same
  // request again (a retry after a lost answer) gets the same answer; anything else is refused.
  const existing = await context.gateway.headObject({ key: claims.key });
  if (existing) {
    const etags = input.parts.map((part) => normalizeEtag(part.etag));
    const etag = etags.every((value) => MD5_HEX.test(value)) ? await expectedEtag(etags) : null;
    if (existing.size === size && normalizeEtag(existing.etag) === etag && etag !== null) {
      return { response: { key: claims.key, size, etag, partCount }, replayed: true };
    }
    throw new TesseraError('upload-not-found', 'this upload is already complete');
  }

  const stored = new Map(
    (await context.gateway.listParts({ key: claims.key, uploadId })).map((p) => [p.partNumber, p]),
  );
  let total = 0;
  input.parts.forEach((part, index) => {
    const held = stored.get(part.partNumber);
    if (!held) {
      throw new TesseraError('parts-missing', `the store does not have part ${part.partNumber}`, {
        field: `parts.${index}`,
        partNumber: part.partNumber,
      });
    }
    if (normalizeEtag(held.etag) !== normalizeEtag(part.etag)) {
      throw new TesseraError('etag-mismatch', `part ${part.partNumber}'s ETag differs from the store's`, {
        field: `parts.${index}.etag`,
        partNumber: part.partNumber,
      });
    }
    const last = index === input.parts.length - 1;
    if ((!last && held.size !== claims.partSize) || (last && held.size > claims.partSize)) {
      throw new TesseraError('size-mismatch', `part ${part.partNumber} has ${held.size} bytes in the store`, {
        field: `parts.${index}`,
        partNumber: part.partNumber,
      });
    }
    total += held.size;
  });
  if (total !== size) {
    throw new TesseraError('size-mismatch', `the parts hold ${total} bytes, not ${size}`, { field: 'size' });
  }

  const etags = input.parts.map((part) => normalizeEtag((stored.get(part.partNumber) ?? part).etag));
  const { etag } = await context.gateway.completeMultipartUpload({
    key: claims.key,
    uploadId,
    parts: input.parts.map((part, index) => ({
      partNumber: part.partNumber,
      etag: etags[index] as string,
      ...(stored.get(part.partNumber)?.checksumSha256 && { checksumSha256: stored.get(part.partNumber)?.checksumSha256 }),
    })),
  });
  // Where the store uses MD5 ETags, the object's ETag proves it was assembled from exactly these parts.
  if (etags.every((value) => MD5_HEX.test(value)) && /^[0-9a-f]{32}-\d+$/i.test(etag)) {
    const expected = await expectedEtag(etags);
    if (normalizeEtag(etag) !== expected) {
      throw new TesseraError('integrity-mismatch', `the stored object's ETag ${etag} is not ${expected}`);
    }
  }
  return { response: { key: claims.key, size, etag: normalizeEtag(etag), partCount }, replayed: false };
}
