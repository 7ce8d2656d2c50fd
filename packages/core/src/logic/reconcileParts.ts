import type { UploadedPart } from '../protocol.js';
import type { CheckpointPart } from './checkpoint.js';
import { normalizeEtag } from './integrity.js';

/** Outcome of {@link reconcileParts}: every part number the two views mention lands in exactly one list. */
export interface ReconciledParts {
  /** Parts the store holds that the checkpoint lacked or knew with another ETag: store size and ETag, no checksum. */
  adopted: CheckpointPart[];
  /** Checkpoint parts the store confirms with the same ETag (store size, normalized ETag, checksum kept). */
  kept: CheckpointPart[];
  /** Part numbers to upload again, ascending. */
  resend: number[];
}

/**
 * Merge the parts a checkpoint remembers with the parts the store lists, on resume. The store is the
 * truth:
 * - a part in both with the same ETag is `kept`;
 * - a part only the store has, or that it has with another ETag, is `adopted` with the store's ETag and
 *   an unknown checksum (`null`), since the bytes the store holds are not the ones last hashed here;
 * - a store part whose size differs from `expectedSize(partNumber)` is resent, whatever the checkpoint says;
 * - a part only the checkpoint has is resent (the store lost it, or the upload was restarted).
 *
 * `expectedSize` returns `null` when a part's size is not known in advance (a growing source's last part):
 * the store's size is then accepted.
 *
 * @example
 * ```ts
 * const plan = planParts(file.size);
 * const { adopted, kept, resend } = reconcileParts(checkpoint.parts, listed.parts, (partNumber) =>
 *   partNumber === plan.partCount ? plan.lastPartSize : plan.partSize,
 * );
 * ```
 */
export function reconcileParts(
  checkpointParts: readonly CheckpointPart[],
  storeParts: readonly UploadedPart[],
  expectedSize: (partNumber: number) => number | null,
): ReconciledParts {
  const remembered = new Map(checkpointParts.map((part) => [part.partNumber, part]));
  // A Map also drops duplicates that overlapping ListParts pages may bring.
  const stored = new Map(storeParts.map((part) => [part.partNumber, part]));
  const adopted: CheckpointPart[] = [];
  const kept: CheckpointPart[] = [];
  const resend = new Set<number>();
  for (const part of remembered.values()) if (!stored.has(part.partNumber)) resend.add(part.partNumber);
  for (const { partNumber, size, etag: storeEtag } of stored.values()) {
    const expected = expectedSize(partNumber);
    if (expected !== null && size !== expected) {
      resend.add(partNumber);
      continue;
    }
    const etag = normalizeEtag(storeEtag);
    const mine = remembered.get(partNumber);
    if (mine !== undefined && normalizeEtag(mine.etag) === etag) kept.push({ ...mine, size, etag });
    else adopted.push({ partNumber, size, etag, checksum: null });
  }
  const byNumber = (a: CheckpointPart, b: CheckpointPart) => a.partNumber - b.partNumber;
  return { adopted: adopted.sort(byNumber), kept: kept.sort(byNumber), resend: [...resend].sort((a, b) => a - b) };
}
