import type { ObjectKeyInput } from '../types.js';

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

/** Whether a key from an `objectKey` hook is usable: non-empty, ≤ 1024 bytes, no empty/dot segments. */
export function validObjectKey(key: string): boolean {
  if (key.length === 0 || new TextEncoder().encode(key).byteLength > 1024) return false;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(key) || !key.isWellFormed()) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
