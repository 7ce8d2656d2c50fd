import { TesseraError } from '@tessera/core';
import { z } from 'zod';

const BASE64_DIGEST = {
  md5: /^[A-Za-z0-9+/]{22}==$/,
  sha256: /^[A-Za-z0-9+/]{43}=$/,
  none: /^$/,
} as const;

const sha256Field = z.string().regex(BASE64_DIGEST.sha256, 'must be a base64 SHA-256 digest (44 characters)');

export const createUploadSchema = z.object({
  fileName: z.string().max(1024),
  contentType: z.string().max(255),
  size: z.int().min(0).optional(),
  sha256: sha256Field.optional(),
});

export const signPartsSchema = z.object({
  parts: z
    .array(
      z.object({
        partNumber: z.int(),
        size: z.int().min(0),
        checksum: z.string().max(64),
      }),
    )
    .min(1, 'must list at least one part'),
});

export const completeUploadSchema = z.object({
  parts: z
    .array(z.object({ partNumber: z.int(), etag: z.string().min(1).max(128) }))
    .min(1, 'must list at least one part'),
  size: z.int().min(0).optional(),
  sha256: sha256Field.optional(),
});

/** Parse `value` with `schema`, or throw `invalid-field` naming the first offending field. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = field ? `${field}: ${issue?.message}` : 'the request body must be a JSON object';
  throw new TesseraError('invalid-field', message, field === undefined ? {} : { field });
}

/** Whether `checksum` is a well-formed base64 digest of the given algorithm. */
export function isDigest(checksum: string, algorithm: keyof typeof BASE64_DIGEST): boolean {
  return BASE64_DIGEST[algorithm].test(checksum);
}

// C0 and C1 controls, DEL, and bidirectional overrides that can disguise a name ("gpj.exe").
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Check a client-supplied file name: a plain name, no path, no control characters, ≤ 255 UTF-8 bytes. */
export function checkFileName(fileName: string): void {
  const fail = (why: string) => new TesseraError('invalid-file-name', `fileName ${why}`, { field: 'fileName' });
  if (fileName.trim().length === 0) throw fail('must not be empty');
  if (new TextEncoder().encode(fileName).byteLength > 255) throw fail('must be at most 255 bytes');
  if (UNSAFE_NAME_CHARACTERS.test(fileName)) throw fail('must not contain control characters');
  if (/[/\\]/.test(fileName)) throw fail('must be a name, not a path');
  if (fileName === '.' || fileName === '..') throw fail('must be a name, not a path');
}

const MIME = /^([a-z0-9][a-z0-9!#$&^_.+-]*)\/([a-z0-9][a-z0-9!#$&^_.+-]*)\s*(;.*)?$/i;

/** Normalise a MIME type to its essence (`type/subtype`, lower case); `''` means `application/octet-stream`. */
export function normalizeContentType(contentType: string): string {
  if (contentType === '') return 'application/octet-stream';
  const match = MIME.exec(contentType);
  if (!match || /[\u0000-\u001f\u007f]/.test(contentType)) {
    throw new TesseraError('invalid-field', 'contentType must be a MIME type such as video/webm', {
      field: 'contentType',
    });
  }
  return `${match[1]}/${match[2]}`.toLowerCase();
}

/** Whether `contentType` (an essence) matches one of `allowed` (`video/webm`, `video/*`, `*∕*`). */
export function typeAllowed(contentType: string, allowed: readonly string[]): boolean {
  const [type] = contentType.split('/');
  return allowed.some((pattern) => {
    const rule = pattern.toLowerCase();
    return rule === '*/*' || rule === contentType || (rule.endsWith('/*') && rule.slice(0, -2) === type);
  });
}
