import type { Checkpoint } from '../src/logic/checkpoint.js';

const MiB = 2 ** 20;

/** A valid checkpoint of a 20 MiB file with two of three parts confirmed. */
export function sampleCheckpoint(overrides: Partial<Checkpoint> = {}): Checkpoint {
  return {
    version: 1,
    id: 'local-1',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_060_000,
    endpoint: '/api/uploads',
    fingerprint: { name: 'talk.mp4', size: 20 * MiB, lastModified: 1_690_000_000_000, headHash: 'h', tailHash: 't' },
    fileName: 'talk.mp4',
    contentType: 'video/mp4',
    size: 20 * MiB,
    uploadId: 'upload-1',
    key: 'uploads/talk.mp4',
    token: 'tok',
    tokenExpiresAt: 1_700_086_400_000,
    partSize: 8 * MiB,
    partCount: 3,
    checksumAlgorithm: 'md5',
    parts: [
      { partNumber: 1, size: 8 * MiB, etag: 'etag-1', checksum: 'sum-1' },
      { partNumber: 2, size: 8 * MiB, etag: 'etag-2', checksum: null },
    ],
    hashState: 'c3RhdGU=',
    hashedThrough: 2,
    source: 'file',
    scope: null,
    ...overrides,
  };
}
