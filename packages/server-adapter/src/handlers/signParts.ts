import { S3_LIMITS, type SignPartsResponse, TesseraError } from '@tessera/core';
import { expectedPartSize, type HandlerContext, requireUpload } from '../context.js';
import { isDigest, parseBody, signPartsSchema } from '../validate.js';

/**
 * `POST v1/uploads/:uploadId/sign`: presign a batch of UploadPart requests, each bound to the part's
 * exact size and checksum. Pure computation: the store is not called.
 */
export async function signParts(context: HandlerContext, uploadId: string, body: unknown): Promise<SignPartsResponse> {
  const claims = await requireUpload(context, uploadId);
  if (Array.isArray((body as { parts?: unknown } | null)?.parts)) {
    const count = (body as { parts: unknown[] }).parts.length;
    if (count > context.policy.maxSignBatch) {
      throw new TesseraError('batch-too-large', `at most ${context.policy.maxSignBatch} parts per request`, {
        field: 'parts',
      });
    }
  }
  const { parts } = parseBody(signPartsSchema, body);
  const lastPart = claims.partCount ?? S3_LIMITS.maxParts;
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
    const fits = expected === null ? part.size >= 1 && part.size <= claims.partSize : part.size === expected;
    if (!fits) {
      const rule = expected === null ? `between 1 and ${claims.partSize}` : `${expected}`;
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
