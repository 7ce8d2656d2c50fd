import { type SignPartsResponse, TesseraError } from '@tessera/core';
import { expectedPartSize, type HandlerContext, maxPartsOf, requireNotCompleted, requireUpload } from '../context.js';
import { isDigest, parseBody, signPartsSchema } from '../validate.js';

export const SIGN_BODY_LIMIT = 64 * 1024;

/**
 * `POST v1/uploads/:uploadId/sign`: presign a batch of UploadPart requests, each bound to the part's
 * exact size and checksum. One store call (HEAD), to refuse a completed upload (`upload-completed`): a part
 * written after completion could change the object on stores that still accept it (Swift does). Whether a
 * complete is under way is not asked (a LIST costs as much as a PUT on S3, on the call made most often): the
 * client that completes has every part already, and the store checks each part's ETag at assembly.
 */
export async function signParts(context: HandlerContext, uploadId: string): Promise<SignPartsResponse> {
  const claims = await requireUpload(context, uploadId);
  const { maxSignBatch } = context.policy;
  const tooMany = () =>
    new TesseraError('batch-too-large', `at most ${maxSignBatch} parts per request`, { field: 'parts' });
  const body = await context.readJson(SIGN_BODY_LIMIT, { maxObjects: maxSignBatch + 1, error: tooMany });
  const { parts } = parseBody(signPartsSchema, body, { maxParts: maxSignBatch, error: tooMany });
  // A growing source may reach its maximum size, no further: the part numbers that size needs.
  const lastPart = maxPartsOf(claims);
  const seen = new Set<number>();
  parts.forEach((part, index) => {
    const field = `parts.${index}`;
    if (part.partNumber < 1 || part.partNumber > lastPart) {
      throw new TesseraError('part-out-of-range', `partNumber must be between 1 and ${lastPart}`, {
        field: `${field}.partNumber`,
      });
    }
    if (seen.has(part.partNumber)) {
      throw new TesseraError('invalid-field', `part ${part.partNumber} is listed twice`, {
        field: `${field}.partNumber`,
      });
    }
    seen.add(part.partNumber);
    const expected = expectedPartSize(claims, part.partNumber);
    // A growing source's part may be short (the last one), never past the size its policy allows.
    const largest = Math.min(claims.partSize, claims.maxSize - (part.partNumber - 1) * claims.partSize);
    const fits = expected === null ? part.size >= 1 && part.size <= largest : part.size === expected;
    if (!fits) {
      const rule = expected === null ? `between 1 and ${largest}` : `${expected}`;
      throw new TesseraError('part-size-mismatch', `part ${part.partNumber} must be ${rule} bytes`, {
        field: `${field}.size`,
        partNumber: part.partNumber,
      });
    }
    if (!isDigest(part.checksum, claims.checksumAlgorithm)) {
      const rule =
        claims.checksumAlgorithm === 'none' ? 'empty: this upload has no part checksums' : `a base64 ${claims.checksumAlgorithm} digest`;
      throw new TesseraError('invalid-field', `checksum must be ${rule}`, {
        field: `${field}.checksum`,
      });
    }
  });

  await requireNotCompleted(context, claims);
  const expiresAt = new Date(context.now() + context.urlTtlSeconds * 1000).toISOString();
  const signed = await Promise.all(
    parts.map(async (part) => {
      const request = await context.gateway.presignUploadPart({
        key: claims.key,
        uploadId,
        partNumber: part.partNumber,
        size: part.size,
        checksumAlgorithm: claims.checksumAlgorithm,
        checksum: part.checksum,
        expiresInSeconds: context.urlTtlSeconds,
      });
      return { partNumber: part.partNumber, ...request, expiresAt };
    }),
  );
  return { parts: signed };
}
