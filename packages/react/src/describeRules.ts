import { formatBytes } from './formatBytes.js';
import { acceptPatterns, type FileRules } from './validateFiles.js';

/**
 * The rules of a drop zone in words, read to screen-reader users after the zone's name.
 *
 * @example
 * ```ts
 * describeRules({ accept: 'video/*,.mkv', maxSize: 5e9 }) // 'Accepted: video/*, .mkv. Up to 5 GB each.'
 * ```
 */
export function describeRules({ accept, maxSize, minSize, maxFiles }: FileRules, multiple = true): string {
  const parts: string[] = [];
  const patterns = acceptPatterns(accept);
  if (patterns.length > 0) parts.push(`Accepted: ${patterns.join(', ')}.`);
  if (maxSize !== undefined && minSize !== undefined) {
    parts.push(`From ${formatBytes(minSize)} to ${formatBytes(maxSize)} each.`);
  } else if (maxSize !== undefined) parts.push(`Up to ${formatBytes(maxSize)} each.`);
  else if (minSize !== undefined) parts.push(`At least ${formatBytes(minSize)} each.`);
  if (!multiple) parts.push('One file.');
  else if (maxFiles !== undefined) parts.push(`At most ${maxFiles} files at once.`);
  return parts.join(' ');
}
