import type { Upload, UploadSnapshot } from '@tessera/core';

// Keyed by the actor's own (immutable) snapshot: one conversion per change, shared by every reader.
const converted = new WeakMap<object, UploadSnapshot>();

/**
 * The {@link UploadSnapshot} of `upload` as it is now. Converted from the actor's snapshot once per change,
 * however many components read it, so a selector that returns part of it can be compared by reference.
 *
 * @example
 * ```ts
 * const { status, progress } = readUploadSnapshot(upload);
 * ```
 */
export function readUploadSnapshot(upload: Upload): UploadSnapshot {
  const raw = upload.actor.getSnapshot() as object;
  let snapshot = converted.get(raw);
  if (snapshot === undefined) {
    snapshot = upload.getSnapshot();
    converted.set(raw, snapshot);
  }
  return snapshot;
}
