/**
 * What a recording is, persisted beside its bytes when it is created: enough to upload it after a crash even
 * when no upload was ever created for it (the tab died before the server answered, or the create failed),
 * so no checkpoint names it.
 */
export interface RecordingMetadata {
  /** File name the upload is created with. */
  name: string;
  /** Content type the upload is created with. */
  type: string;
  /** When recording started (ms since the epoch). */
  startedAt: number;
  /** Whose recording it is (the upload's `scope`, e.g. the signed-in user's id); absent when unscoped. */
  scope?: string;
}

const isText = (value: unknown, maxLength: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength;

/**
 * Read stored metadata back: a fresh object with its fields, or `null` for anything malformed (an
 * older recording without it, a file cut short by a crash). Never throws.
 *
 * @example
 * ```ts
 * parseRecordingMetadata({ name: 'take.webm', type: 'video/webm', startedAt: 0 }) // the same fields
 * parseRecordingMetadata('{"name":') // null
 * ```
 */
export function parseRecordingMetadata(value: unknown): RecordingMetadata | null {
  if (typeof value !== 'object' || value === null) return null;
  const { name, type, startedAt, scope } = value as Record<string, unknown>;
  if (!isText(name, 1024) || !isText(type, 255)) return null;
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt) || startedAt < 0) return null;
  if (scope !== undefined && !isText(scope, 1024)) return null;
  return { name, type, startedAt, ...(scope !== undefined && { scope }) };
}
