import type { CompleteUploadRequest } from '../protocol.js';
import type { Checkpoint, CheckpointPart } from './checkpoint.js';

/**
 * The complete request that repeats a completion from what a checkpoint remembers: its parts and ETags, and
 * the size they add up to where the checkpoint has none (a recording's). Sent for an upload the server says
 * is completed (a tab closed while its complete was in flight): the server answers a request with the same
 * parts as it answered the first one, and runs the app's `onComplete` again if it never succeeded; any other
 * list is refused. No whole-file SHA-256: the checkpoint holds only its running state.
 *
 * @example
 * ```ts
 * await transport.complete(uploadInfoOf(checkpoint), replayRequestOf(checkpoint));
 * ```
 */
export function replayRequestOf(checkpoint: Pick<Checkpoint, 'parts' | 'size'>): CompleteUploadRequest {
  return {
    parts: checkpoint.parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
    size: checkpoint.size ?? checkpoint.parts.reduce((total, part) => total + part.size, 0),
  };
}

/**
 * Whether `stored` (a checkpoint's parts) holds every part of `planned` (the parts of the whole source,
 * which has ended), each with its planned size, and nothing else: then a completion can be replayed from
 * the checkpoint alone.
 *
 * @example
 * ```ts
 * listsEveryPart(checkpoint.parts, extendParts([], partSize, source)) // false when the last part is missing
 * ```
 */
export function listsEveryPart(
  stored: readonly CheckpointPart[],
  planned: ReadonlyArray<{ partNumber: number; size: number }>,
): boolean {
  if (planned.length === 0 || stored.length !== planned.length) return false;
  const sizes = new Map(stored.map((part) => [part.partNumber, part.size]));
  return planned.every((part) => sizes.get(part.partNumber) === part.size);
}
