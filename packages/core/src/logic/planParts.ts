import { TesseraError } from '../errors.js';

const MiB = 1024 * 1024;

/** S3's multipart limits, which every S3-compatible store Tessera targets shares. */
export const S3_LIMITS = {
  /** Smallest part but the last. */
  minPartSize: 5 * MiB,
  /** Largest part. */
  maxPartSize: 5 * 1024 * MiB,
  /** Most parts in one upload. */
  maxParts: 10_000,
  /** Largest object. */
  maxObjectSize: 5 * 1024 * 1024 * MiB,
} as const;

/** Tuning for {@link planParts}. */
export interface PartPlanOptions {
  /** Part size to use when the file allows it. @default 8 MiB */
  preferredPartSize?: number;
  /** Smallest part but the last; a test store may lower it. @default 5 MiB */
  minPartSize?: number;
  /** @default 5 GiB */
  maxPartSize?: number;
  /** @default 10,000 */
  maxParts?: number;
}

/** How a file of known (or bounded) size is cut into parts. */
export interface PartPlan {
  partSize: number;
  partCount: number;
  lastPartSize: number;
}

/** The default part size: large enough for throughput, small enough that a retry is cheap. */
export const DEFAULT_PART_SIZE = 8 * MiB;

/**
 * The preferred part size when `size` bytes fit into `maxParts` parts of it; otherwise the smallest whole
 * number of MiB that fits them.
 *
 * @example
 * ```ts
 * planPartSize(5 * 2 ** 40) // 525 MiB: a 5 TiB object in 9,988 parts
 * ```
 */
export function planPartSize(size: number, options: PartPlanOptions = {}): number {
  const minPartSize = options.minPartSize ?? S3_LIMITS.minPartSize;
  const maxPartSize = options.maxPartSize ?? S3_LIMITS.maxPartSize;
  const maxParts = options.maxParts ?? S3_LIMITS.maxParts;
  const preferred = Math.max(options.preferredPartSize ?? DEFAULT_PART_SIZE, minPartSize);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new TesseraError('invalid-field', `size must be a non-negative integer, got ${size}`, {
      field: 'size',
    });
  }
  const partSize =
    Math.ceil(size / preferred) <= maxParts ? preferred : Math.ceil(Math.ceil(size / maxParts) / MiB) * MiB;
  if (partSize > maxPartSize) {
    throw new TesseraError(
      'file-too-large',
      `${size} bytes do not fit in ${maxParts} parts of at most ${maxPartSize} bytes`,
      { field: 'size' },
    );
  }
  return partSize;
}

/**
 * Cut a file of `size` bytes into parts within S3's limits (every part but the last at least
 * `minPartSize`, at most `maxParts` parts of at most `maxPartSize`).
 *
 * @example
 * ```ts
 * planParts(20 * 2 ** 20) // { partSize: 8 MiB, partCount: 3, lastPartSize: 4 MiB }
 * ```
 */
export function planParts(size: number, options: PartPlanOptions = {}): PartPlan {
  const partSize = planPartSize(size, options);
  const partCount = Math.max(1, Math.ceil(size / partSize));
  return { partSize, partCount, lastPartSize: size - (partCount - 1) * partSize };
}

/** Byte range `[start, end)` of part `partNumber` (1-based) of a file cut into `partSize` parts. */
export function partRange(partNumber: number, partSize: number, size: number): { start: number; end: number } {
  const start = (partNumber - 1) * partSize;
  return { start, end: Math.min(start + partSize, size) };
}
