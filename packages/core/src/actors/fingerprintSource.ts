import { fingerprintSampleRanges, type FileFingerprint } from '../logic/fingerprint.js';
import type { Hasher } from '../ports.js';
import type { UploadSource } from '../session.js';

/** Name, size, lastModified and hashes of the first and last MiB: enough to recognise the file again. */
export async function fingerprintSource(source: UploadSource, hasher: Hasher): Promise<FileFingerprint> {
  const [head, tail] = fingerprintSampleRanges(source.size);
  const hash = async (range: { start: number; end: number } | undefined) =>
    range ? hasher.sampleHash(await source.slice(range.start, range.end)) : '';
  return {
    name: source.name,
    size: source.size,
    lastModified: source.lastModified,
    headHash: await hash(head),
    tailHash: await hash(tail),
  };
}
