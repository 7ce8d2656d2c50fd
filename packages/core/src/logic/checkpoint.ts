import type { PartChecksumAlgorithm } from '../protocol.js';
import type { FileFingerprint } from './fingerprint.js';
import { S3_LIMITS } from './planParts.js';

/** The checkpoint schema version this code writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** A part the store confirmed, as remembered locally. */
export interface CheckpointPart {
  /** 1-based. */
  partNumber: number;
  size: number;
  /** ETag the store returned, normalized (no quotes). */
  etag: string;
  /** Base64 digest signed into the part's URL; `null` when adopted from the store without one. */
  checksum: string | null;
}

/**
 * Everything needed to resume an upload after a reload, saved after each confirmed part. Times are
 * milliseconds since the epoch.
 */
export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION;
  /** Local id of the upload. */
  id: string;
  createdAt: number;
  updatedAt: number;
  /** The server-adapter route the upload talks to. */
  endpoint: string;
  /** `null` for a growing source, which cannot be picked again. */
  fingerprint: FileFingerprint | null;
  fileName: string;
  contentType: string;
  /** `null` while a growing source is still growing. */
  size: number | null;
  uploadId: string;
  key: string;
  token: string;
  /** When `token` stops being accepted (the ISO time of the create answer, as milliseconds). */
  tokenExpiresAt: number;
  partSize: number;
  partCount: number | null;
  checksumAlgorithm: PartChecksumAlgorithm;
  /** Sorted by part number, no duplicates. */
  parts: CheckpointPart[];
  /**
   * Serialized incremental whole-file SHA-256 state (base64); `null` before hashing starts, or for an upload
   * that computes no whole-file hash.
   */
  hashState: string | null;
  /** How many leading parts are folded into `hashState` (and, after a resume, checked against the store). */
  hashedThrough: number;
  source: 'file' | 'growing';
  /**
   * Whose upload this is, as the app said (`UploadOptions.scope`, e.g. the signed-in user's id); `null` when it
   * said nothing. Listing and clearing go by scope, so the next user of a shared browser never sees it.
   */
  scope: string | null;
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isTime = (value: unknown): value is number => isNumber(value) && value >= 0;
const isCount = (value: unknown, min = 0): value is number => Number.isSafeInteger(value) && (value as number) >= min;
const isText = (value: unknown, minLength = 0): value is string =>
  typeof value === 'string' && value.length >= minLength;

function parseFingerprint(value: unknown): FileFingerprint | undefined {
  if (!isFields(value)) return undefined;
  const { name, size, lastModified, headHash, tailHash } = value;
  if (!isText(name) || !isCount(size) || !isNumber(lastModified) || !isText(headHash) || !isText(tailHash)) {
    return undefined;
  }
  return { name, size, lastModified, headHash, tailHash };
}

function parsePart(value: unknown, partSize: number, partCount: number | null): CheckpointPart | undefined {
  if (!isFields(value)) return undefined;
  const { partNumber, size, etag, checksum } = value;
  if (!isCount(partNumber, 1) || partNumber > (partCount ?? S3_LIMITS.maxParts)) return undefined;
  if (!isCount(size) || size > partSize || !isText(etag, 1)) return undefined;
  if (checksum !== null && !isText(checksum, 1)) return undefined;
  return { partNumber, size, etag, checksum };
}

function parseFields(value: Fields): Checkpoint | null {
  const { version, id, createdAt, updatedAt, endpoint, fileName, contentType, size, uploadId, key, token } = value;
  const { tokenExpiresAt, partSize, partCount, checksumAlgorithm, hashState, hashedThrough, source } = value;
  // Checkpoints written before scopes existed have none.
  const scope = value.scope ?? null;
  if (scope !== null && !isText(scope)) return null;
  if (version !== CHECKPOINT_VERSION || !isText(id, 1) || !isText(endpoint, 1)) return null;
  if (!isTime(createdAt) || !isTime(updatedAt) || !isTime(tokenExpiresAt)) return null;
  if (!isText(fileName) || !isText(contentType)) return null;
  if (!isText(uploadId, 1) || !isText(key, 1) || !isText(token, 1)) return null;
  if (size !== null && !isCount(size)) return null;
  if (!isCount(partSize, 1) || (partCount !== null && !isCount(partCount, 1))) return null;
  if (checksumAlgorithm !== 'md5' && checksumAlgorithm !== 'sha256' && checksumAlgorithm !== 'none') return null;
  if (hashState !== null && !isText(hashState, 1)) return null;
  if (!isCount(hashedThrough)) return null;
  const fingerprint = value.fingerprint === null ? null : parseFingerprint(value.fingerprint);
  if (fingerprint === undefined) return null;
  // A picked file must be recognisable, and sized as its fingerprint says; a growing source cannot be picked again.
  if (source !== 'file' && source !== 'growing') return null;
  if (source === 'file' ? fingerprint === null || size !== fingerprint.size : fingerprint !== null) return null;
  if (!Array.isArray(value.parts)) return null;
  const parts: CheckpointPart[] = [];
  for (const item of value.parts) {
    const part = parsePart(item, partSize, partCount);
    if (part === undefined) return null;
    parts.push(part);
  }
  parts.sort((a, b) => a.partNumber - b.partNumber);
  if (parts.some((part, index) => index > 0 && parts[index - 1]?.partNumber === part.partNumber)) return null;
  return {
    version,
    id,
    createdAt,
    updatedAt,
    endpoint,
    fingerprint,
    fileName,
    contentType,
    size,
    uploadId,
    key,
    token,
    tokenExpiresAt,
    partSize,
    partCount,
    checksumAlgorithm,
    parts,
    hashState,
    hashedThrough,
    source,
    scope,
  };
}

/**
 * Read a stored checkpoint back. Validates every field by hand and returns a fresh object without unknown
 * fields, or `null` for anything malformed, inconsistent or of another version. Never throws.
 *
 * @example
 * ```ts
 * const checkpoint = parseCheckpoint(await store.get(id));
 * if (checkpoint === null) await store.delete(id); // unreadable: start over
 * ```
 */
export function parseCheckpoint(value: unknown): Checkpoint | null {
  try {
    return isFields(value) ? parseFields(value) : null;
  } catch {
    // An exotic object (a throwing getter, a revoked proxy) is as unreadable as a malformed one.
    return null;
  }
}

/**
 * A copy of `checkpoint` with `part` added, or replacing the part with the same number, parts kept in
 * order, and `updatedAt` set to `now`.
 *
 * @example
 * ```ts
 * checkpoint = withConfirmedPart(checkpoint, { partNumber: 4, size, etag, checksum }, clock.now());
 * ```
 */
export function withConfirmedPart(checkpoint: Checkpoint, part: CheckpointPart, now: number): Checkpoint {
  const parts = checkpoint.parts.filter((existing) => existing.partNumber !== part.partNumber);
  const index = parts.findIndex((existing) => existing.partNumber > part.partNumber);
  parts.splice(index === -1 ? parts.length : index, 0, { ...part });
  return { ...checkpoint, parts, updatedAt: now };
}
