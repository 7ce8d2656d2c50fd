import { formatBytes } from './formatBytes.js';

/** Why a file was refused. The size and type codes are the server's own for the same rules. */
export type FileRejectionCode = 'type-not-allowed' | 'file-too-large' | 'file-too-small' | 'too-many-files';

/** One reason a file was refused, with a message for people. */
export interface FileRejectionReason {
  code: FileRejectionCode;
  message: string;
}

/** A refused file and every reason it was refused. */
export interface FileRejection {
  file: File;
  reasons: FileRejectionReason[];
}

/** Which files to take. */
export interface FileRules {
  /**
   * MIME types (`video/mp4`), wildcards (`image/*`) and extensions (`.pdf`), as a list or comma-separated,
   * as in `<input accept>`. @default every file
   */
  accept?: string | readonly string[];
  /** Largest file, in bytes. @default no limit */
  maxSize?: number;
  /** Smallest file, in bytes. @default 0 */
  minSize?: number;
  /** Most files at once; the first ones are taken, the rest refused. @default no limit */
  maxFiles?: number;
}

/** The accept rules as a list of lower-case patterns. */
export function acceptPatterns(accept: FileRules['accept']): string[] {
  const list = typeof accept === 'string' ? accept.split(',') : (accept ?? []);
  return list.map((pattern) => pattern.trim().toLowerCase()).filter((pattern) => pattern !== '');
}

const essence = (type: string) => type.split(';')[0]?.trim().toLowerCase() ?? '';

function matchesType(type: string, pattern: string): boolean {
  const mime = essence(type);
  if (mime === '') return false;
  return pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern;
}

/** Whether `file` is of a type `accept` allows (by extension or MIME type). */
export function isAccepted(file: { name: string; type: string }, accept: FileRules['accept']): boolean {
  const patterns = acceptPatterns(accept);
  if (patterns.length === 0) return true;
  const name = file.name.toLowerCase();
  return patterns.some((pattern) => (pattern.startsWith('.') ? name.endsWith(pattern) : matchesType(file.type, pattern)));
}

/**
 * Whether a file being dragged (only its MIME type is known until the drop) might be accepted: `false` only
 * when its type is known and no rule could match it.
 */
export function mightBeAccepted(type: string, accept: FileRules['accept']): boolean {
  const patterns = acceptPatterns(accept);
  if (patterns.length === 0 || essence(type) === '' || patterns.some((pattern) => pattern.startsWith('.'))) return true;
  return patterns.some((pattern) => matchesType(type, pattern));
}

/**
 * Split files into those the rules take and those they refuse, with every reason each was refused.
 *
 * @example
 * ```ts
 * const { accepted, rejected } = validateFiles(files, { accept: 'video/*,.mkv', maxSize: 5e9, maxFiles: 3 });
 * rejected[0]?.reasons[0]?.code // 'file-too-large'
 * ```
 */
export function validateFiles(
  files: Iterable<File>,
  rules: FileRules,
): { accepted: File[]; rejected: FileRejection[] } {
  const accepted: File[] = [];
  const rejected: FileRejection[] = [];
  const { maxSize, minSize, maxFiles, accept } = rules;
  for (const file of files) {
    const reasons: FileRejectionReason[] = [];
    if (!isAccepted(file, accept)) {
      const allowed = acceptPatterns(accept).join(', ');
      reasons.push({ code: 'type-not-allowed', message: `${file.name} is not an accepted type (accepted: ${allowed}).` });
    }
    if (maxSize !== undefined && file.size > maxSize) {
      const message = `${file.name} is ${formatBytes(file.size)}; the largest allowed is ${formatBytes(maxSize)}.`;
      reasons.push({ code: 'file-too-large', message });
    }
    if (minSize !== undefined && file.size < minSize) {
      const message = `${file.name} is ${formatBytes(file.size)}; the smallest allowed is ${formatBytes(minSize)}.`;
      reasons.push({ code: 'file-too-small', message });
    }
    if (reasons.length === 0 && maxFiles !== undefined && accepted.length >= maxFiles) {
      const message = `${file.name} was not added: at most ${maxFiles} ${maxFiles === 1 ? 'file' : 'files'} at once.`;
      reasons.push({ code: 'too-many-files', message });
    }
    if (reasons.length === 0) accepted.push(file);
    else rejected.push({ file, reasons });
  }
  return { accepted, rejected };
}
