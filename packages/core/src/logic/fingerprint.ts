import { TesseraError } from '../errors.js';

/** Bytes hashed at each end of a file to recognise it again: 1 MiB. */
export const FINGERPRINT_SAMPLE_BYTES = 1024 * 1024;

/**
 * What identifies a file picked again after a reload, cheaply: its metadata and hashes of its first and
 * last {@link FINGERPRINT_SAMPLE_BYTES}. The hashes are computed elsewhere (the hasher port) over the
 * ranges {@link fingerprintSampleRanges} gives; `tailHash` is `''` when the whole file fits in one range.
 */
export interface FileFingerprint {
  name: string;
  size: number;
  lastModified: number;
  headHash: string;
  tailHash: string;
}

/** Half-open byte range `[start, end)`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The ranges to hash for a {@link FileFingerprint}: `[head]` for a file of at most `2 * sampleBytes`
 * (the whole file, once), else `[head, tail]`, which never overlap. An empty file gives one empty range,
 * so every file has a head hash.
 *
 * @param sampleBytes - bytes per range. @default FINGERPRINT_SAMPLE_BYTES (1 MiB)
 * @throws {@link TesseraError} `invalid-field` (field `size`) for a size that is not a non-negative integer.
 * @example
 * ```ts
 * fingerprintSampleRanges(1_500_000) // [{ start: 0, end: 1_500_000 }]
 * fingerprintSampleRanges(10 * 2 ** 20) // [{ start: 0, end: 1 MiB }, { start: 9 MiB, end: 10 MiB }]
 * ```
 */
export function fingerprintSampleRanges(size: number, sampleBytes = FINGERPRINT_SAMPLE_BYTES): ByteRange[] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new TesseraError('invalid-field', `size must be a non-negative integer, got ${size}`, { field: 'size' });
  }
  if (!Number.isSafeInteger(sampleBytes) || sampleBytes < 1) {
    throw new TesseraError('invalid-field', `sampleBytes must be a positive integer, got ${sampleBytes}`, {
      field: 'sampleBytes',
    });
  }
  // One range up to 2 samples: two would overlap (hashing bytes twice) or leave nothing between them.
  if (size <= 2 * sampleBytes) return [{ start: 0, end: size }];
  return [
    { start: 0, end: sampleBytes },
    { start: size - sampleBytes, end: size },
  ];
}

/** Result of {@link sameFile}. */
export type SameFileResult = { same: true } | { same: false; reason: 'name' | 'size' | 'lastModified' | 'content' };

const hasContentHashes = (fingerprint: FileFingerprint): boolean => fingerprint.headHash !== '';

/**
 * Whether two fingerprints describe the same bytes, so an upload may resume with the file now picked.
 *
 * Size and content decide: a different size is `size`, different head or tail hashes are `content`,
 * both fatal. Name and `lastModified` are not compared when both sides have hashes: a renamed or
 * re-downloaded file with identical bytes is the same file, and resuming it is safe because every part
 * is checked against the store again. Only when a side lacks hashes (an empty `headHash`) does metadata
 * decide, strictly: `name`, then `lastModified`.
 *
 * @example
 * ```ts
 * const verdict = sameFile(checkpoint.fingerprint, pickedFingerprint);
 * if (!verdict.same) throw new TesseraError('fingerprint-mismatch', `the file differs: ${verdict.reason}`);
 * ```
 */
export function sameFile(a: FileFingerprint, b: FileFingerprint): SameFileResult {
  if (a.size !== b.size) return { same: false, reason: 'size' };
  if (hasContentHashes(a) && hasContentHashes(b)) {
    return a.headHash === b.headHash && a.tailHash === b.tailHash ? { same: true } : { same: false, reason: 'content' };
  }
  if (a.name !== b.name) return { same: false, reason: 'name' };
  if (a.lastModified !== b.lastModified) return { same: false, reason: 'lastModified' };
  return { same: true };
}

/**
 * A stable string to look a checkpoint up by, consistent with {@link sameFile}: built from size and
 * hashes when the fingerprint has hashes (so a renamed file finds its checkpoint), from size, name and
 * `lastModified` otherwise. Versioned, so a future change of recipe does not match old keys by accident.
 *
 * @example
 * ```ts
 * fingerprintKey(fingerprint) // 'fp1:10485760:9c56…:4b2a…'
 * ```
 */
export function fingerprintKey(fingerprint: FileFingerprint): string {
  const { size, headHash, tailHash, name, lastModified } = fingerprint;
  if (hasContentHashes(fingerprint)) return `fp1:${size}:${headHash}:${tailHash}`;
  return `fp1-meta:${size}:${lastModified}:${encodeURIComponent(name)}`;
}
