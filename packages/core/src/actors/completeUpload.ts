import { createMD5 } from 'hash-wasm';
import { TesseraError } from '../errors.js';
import { multipartEtag, normalizeEtag } from '../logic/integrity.js';
import type { CompleteUploadResponse } from '../protocol.js';
import type { PartRecord, SessionDeps, UploadInfo } from '../session.js';

export interface CompleteInput {
  deps: SessionDeps;
  upload: UploadInfo;
  parts: PartRecord[];
  /** Running whole-file SHA-256 over every part, in order; absent when the session computes none. */
  hashState?: string | null;
  /** Final size (a growing source's is known only now). */
  size: number;
}

/**
 * Finish the whole-file SHA-256 (when the session computes one), ask the server to complete (it checks every part against the store), and
 * check the object's multipart ETag against the MD5s this client computed from the file itself.
 */
export async function completeUpload(
  input: CompleteInput,
  signal: AbortSignal,
): Promise<CompleteUploadResponse & { sha256: string | null }> {
  const { deps, upload, parts } = input;
  const sha256 = input.hashState === undefined ? null : await deps.hasher.finishSha256(input.hashState);
  const result = await deps.transport.complete(
    upload,
    {
      parts: parts.map((part) => ({ partNumber: part.partNumber, etag: part.etag ?? '' })),
      size: input.size,
      ...(sha256 !== null && { sha256 }),
    },
    signal,
  );
  const md5s = parts.map((part) => part.md5Hex);
  // Only ETags of S3's multipart form can be checked (some stores and encryption modes use other ETags).
  if (upload.checksumAlgorithm === 'md5' && md5s.every((md5) => md5 !== null) && /^[0-9a-f]{32}-\d+$/.test(result.etag)) {
    const hasher = await createMD5();
    const expected = multipartEtag(md5s as string[], (bytes) => hasher.init().update(bytes).digest('hex'));
    if (normalizeEtag(result.etag) !== expected) {
      throw new TesseraError('integrity-mismatch', `the stored object's ETag ${result.etag} is not ${expected}`);
    }
  }
  return { ...result, sha256 };
}
