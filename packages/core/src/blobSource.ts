import type { UploadSource } from './session.js';

/**
 * A `File` or `Blob` as an upload source. Parts are `Blob.slice`s of it: nothing is read into memory until a
 * part is hashed or sent, and a PUT body is the slice itself (the fast path in browsers).
 */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'blob'): UploadSource {
  return {
    name,
    type: blob.type,
    size: blob.size,
    ended: true,
    lastModified: (blob as File).lastModified ?? 0,
    slice: async (start, end) => blob.slice(start, end),
  };
}
