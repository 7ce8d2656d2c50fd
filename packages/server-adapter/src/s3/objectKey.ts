import type { ObjectKeyInput } from '../types.js';
import { unstorableCharacter } from './unstorableCharacter.js';

/** Keep the characters S3 documents as safe in keys; everything else becomes `_`. */
export function safeKeySegment(text: string, maxLength = 200): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._() -]/gu, '_')
    .replace(/^\.+/, '_');
  // Cut by code point, never inside a surrogate pair (a half character makes a malformed key).
  return Array.from(cleaned).slice(0, maxLength).join('') || 'file';
}

/**
 * The default object key: `uploads/<user>/<random id>/<file name>`. The random id keeps two uploads of the
 * same name apart; the user segment keeps users apart. A client never names the key.
 *
 * @example
 * ```ts
 * defaultObjectKey({ userId: 'ada', fileName: 'talk.webm', contentType: 'video/webm', size: 1, randomId: 'f1' })
 * // 'uploads/ada/f1/talk.webm'
 * ```
 */
export function defaultObjectKey(input: ObjectKeyInput): string {
  return `uploads/${safeKeySegment(input.userId, 100)}/${input.randomId}/${safeKeySegment(input.fileName)}`;
}

/**
 * What makes a key from an `objectKey` hook unusable, or `null` when it is usable: non-empty, ≤ 1024 UTF-8
 * bytes, no empty, `.` or `..` segment, and only characters every store can list ({@link unstorableCharacter}).
 */
export function objectKeyProblem(key: string): string | null {
  if (key.length === 0) return 'it is empty';
  const unstorable = unstorableCharacter(key);
  if (unstorable !== null) return `it contains ${unstorable}`;
  if (new TextEncoder().encode(key).byteLength > 1024) return 'it is longer than 1024 bytes';
  const segments = key.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return 'it has an empty, "." or ".." segment';
  }
  return null;
}
