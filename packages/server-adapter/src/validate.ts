import { TesseraError } from '@tessera/core';
import { z } from 'zod';
import { unstorableCharacter } from './s3/unstorableCharacter.js';

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

const signPartSchema = z.object({
  partNumber: z.int(),
  size: z.int().min(0),
  checksum: z.string().max(64),
});

export const signPartsSchema = z.object({
  parts: z.array(signPartSchema).min(1, 'must list at least one part'),
});

const completePartSchema = z.object({ partNumber: z.int(), etag: z.string().min(1).max(128) });

export const completeUploadSchema = z.object({
  parts: z.array(completePartSchema).min(1, 'must list at least one part'),
  size: z.int().min(0).optional(),
  sha256: sha256Field.optional(),
});

const PART_LIST_SCHEMAS = new Map<z.ZodType, z.ZodType>([
  [signPartsSchema, z.array(signPartSchema)],
  [completeUploadSchema, z.array(completePartSchema)],
]);
/** Parts checked per schema run before a body's whole list is: the most issues one hostile list can cost. */
const PART_CHUNK = 100;

/** `invalid-field` for the first issue of `error`, its path under `prefix`. */
function invalidField(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): TesseraError {
  const issue = error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])];
  const field = path.length > 0 ? path.map(String).join('.') : undefined;
  const message = field ? `${field}: ${issue?.message}` : 'the request body must be a JSON object';
  return new TesseraError('invalid-field', message, field === undefined ? {} : { field });
}

/**
 * Parse `value` with `schema`, or throw `invalid-field` naming the first offending field. A body with a
 * part list (sign, complete) is refused with `error` when the list is longer than `maxParts`, and its
 * parts are checked a hundred at a time up to the first bad chunk before the whole body is: the cost of a
 * hostile list stays bounded (a schema alone visits every element and collects an issue for each bad one).
 */
export function parseBody<T>(
  schema: z.ZodType<T>,
  value: unknown,
  limit?: { maxParts: number; error: (max: number) => TesseraError },
): T {
  const listSchema = PART_LIST_SCHEMAS.get(schema);
  const parts = typeof value === 'object' && value !== null ? (value as { parts?: unknown }).parts : undefined;
  if (listSchema && Array.isArray(parts)) {
    if (limit && parts.length > limit.maxParts) throw limit.error(limit.maxParts);
    for (let start = 0; start < parts.length; start += PART_CHUNK) {
      const result = listSchema.safeParse(parts.slice(start, start + PART_CHUNK));
      if (!result.success) {
        // The issue's path starts with the index within the chunk.
        const [index, ...rest] = result.error.issues[0]?.path ?? [];
        const issue = { ...result.error.issues[0], path: rest } as z.core.$ZodIssue;
        throw invalidField(new z.ZodError([issue]), ['parts', start + Number(index ?? 0)]);
      }
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidField(result.error);
}

/** Whether `checksum` is a well-formed base64 digest of the given algorithm. */
export function isDigest(checksum: string, algorithm: keyof typeof BASE64_DIGEST): boolean {
  return BASE64_DIGEST[algorithm].test(checksum);
}

/**
 * Check a client-supplied file name: a plain name, no path, ≤ 255 UTF-8 bytes, and only characters every
 * S3-compatible store can list (no controls, lone surrogates, noncharacters, bidirectional controls or
 * line separators; see {@link unstorableCharacter}).
 */
export function checkFileName(fileName: string): void {
  const fail = (why: string) => new TesseraError('invalid-file-name', `fileName ${why}`, { field: 'fileName' });
  if (fileName.trim().length === 0) throw fail('must not be empty');
  const unstorable = unstorableCharacter(fileName);
  if (unstorable !== null) throw fail(`must not contain ${unstorable}`);
  if (new TextEncoder().encode(fileName).byteLength > 255) throw fail('must be at most 255 bytes');
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
