import { describe, expect, it } from 'vitest';
import { sampleCheckpoint } from '../../test/sampleCheckpoint.js';
import { type Checkpoint, type CheckpointPart, parseCheckpoint, withConfirmedPart } from './checkpoint.js';

const MiB = 2 ** 20;

const part = (partNumber: number, size = 8 * MiB): CheckpointPart => ({
  partNumber,
  size,
  etag: `etag-${partNumber}`,
  checksum: `sum-${partNumber}`,
});

const valid: Checkpoint = sampleCheckpoint({ key: 'uploads/2026/talk.mp4', parts: [part(1), part(2)] });

const growing: Checkpoint = { ...valid, fingerprint: null, size: null, partCount: null, source: 'growing' };

describe('parseCheckpoint', () => {
  it.each([
    { name: 'a file checkpoint', value: valid },
    { name: 'a growing source', value: growing },
    { name: 'a growing source that ended', value: { ...growing, size: 20 * MiB } },
    { name: 'no parts, no hash state yet', value: { ...valid, parts: [], hashState: null, hashedThrough: 0 } },
    { name: 'parts checked without a whole-file hash', value: { ...valid, hashState: null, hashedThrough: 1 } },
    { name: 'a part adopted without checksum', value: { ...valid, parts: [{ ...part(1), checksum: null }] } },
    { name: 'sha256 parts', value: { ...valid, checksumAlgorithm: 'sha256' } },
    {
      name: 'an empty file',
      value: { ...valid, size: 0, fingerprint: { ...valid.fingerprint, size: 0 }, partCount: 1, parts: [part(1, 0)] },
    },
  ])('accepts $name', ({ value }) => {
    expect(parseCheckpoint(structuredClone(value))).toEqual(value);
  });

  it('sorts parts and drops unknown fields', () => {
    const parsed = parseCheckpoint({ ...valid, parts: [part(3, 4 * MiB), part(1)], extra: 'x' });
    expect(parsed?.parts.map((p) => p.partNumber)).toEqual([1, 3]);
    expect(parsed).not.toHaveProperty('extra');
  });

  it.each<{ name: string; value: unknown }>([
    { name: 'undefined', value: undefined },
    { name: 'null', value: null },
    { name: 'a string', value: JSON.stringify(valid) },
    { name: 'an array', value: [valid] },
    { name: 'another version', value: { ...valid, version: 2 } },
    { name: 'no version', value: { ...valid, version: undefined } },
    { name: 'an empty id', value: { ...valid, id: '' } },
    { name: 'a string time', value: { ...valid, updatedAt: '2026-11-22' } },
    { name: 'a NaN time', value: { ...valid, createdAt: Number.NaN } },
    { name: 'an ISO token expiry', value: { ...valid, tokenExpiresAt: '2026-11-23T00:00:00Z' } },
    { name: 'no endpoint', value: { ...valid, endpoint: undefined } },
    { name: 'a numeric file name', value: { ...valid, fileName: 3 } },
    { name: 'no content type', value: { ...valid, contentType: undefined } },
    { name: 'a negative size', value: { ...valid, size: -1 } },
    { name: 'a fractional part size', value: { ...valid, partSize: 1.5 } },
    { name: 'a zero part size', value: { ...valid, partSize: 0 } },
    { name: 'a zero part count', value: { ...valid, partCount: 0 } },
    { name: 'an unknown checksum algorithm', value: { ...valid, checksumAlgorithm: 'crc32' } },
    { name: 'parts not an array', value: { ...valid, parts: {} } },
    { name: 'a part number 0', value: { ...valid, parts: [part(0)] } },
    { name: 'a part beyond the part count', value: { ...valid, parts: [part(4)] } },
    { name: 'a part beyond 10,000 (growing)', value: { ...growing, parts: [part(10_001)] } },
    { name: 'a part larger than the part size', value: { ...valid, parts: [part(1, 8 * MiB + 1)] } },
    { name: 'a part without ETag', value: { ...valid, parts: [{ ...part(1), etag: '' }] } },
    { name: 'a part with a numeric checksum', value: { ...valid, parts: [{ ...part(1), checksum: 5 }] } },
    { name: 'a part without checksum field', value: { ...valid, parts: [{ partNumber: 1, size: 1, etag: 'e' }] } },
    { name: 'duplicate parts', value: { ...valid, parts: [part(1), part(2), part(1)] } },
    { name: 'a null part', value: { ...valid, parts: [null] } },
    { name: 'an empty hash state', value: { ...valid, hashState: '' } },
    { name: 'a negative hashedThrough', value: { ...valid, hashedThrough: -1 } },
    { name: 'an unknown source', value: { ...valid, source: 'stream' } },
    { name: 'a file without fingerprint', value: { ...valid, fingerprint: null } },
    { name: 'a file without size', value: { ...valid, size: null } },
    { name: 'a file whose size is not its fingerprint’s', value: { ...valid, size: 20 * MiB + 1 } },
    { name: 'a growing source with a fingerprint', value: { ...growing, fingerprint: valid.fingerprint } },
    { name: 'a malformed fingerprint', value: { ...valid, fingerprint: { ...valid.fingerprint, headHash: 1 } } },
    {
      name: 'a fingerprint without lastModified',
      value: { ...valid, fingerprint: { ...valid.fingerprint, lastModified: undefined } },
    },
  ])('refuses $name', ({ value }) => {
    expect(parseCheckpoint(value)).toBeNull();
  });

  it('never throws, even on hostile objects', () => {
    const throwing = Object.defineProperty({ ...valid }, 'parts', {
      get() {
        throw new Error('boom');
      },
    });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(parseCheckpoint(throwing)).toBeNull();
    expect(parseCheckpoint(revocable.proxy)).toBeNull();
  });
});

describe('withConfirmedPart', () => {
  it.each([
    { name: 'appends a part', parts: [1, 2], add: 3, expected: [1, 2, 3] },
    { name: 'inserts a part in order', parts: [1, 3], add: 2, expected: [1, 2, 3] },
    { name: 'inserts a first part', parts: [2, 3], add: 1, expected: [1, 2, 3] },
    { name: 'adds to no parts', parts: [], add: 2, expected: [2] },
  ])('$name', ({ parts, add, expected }) => {
    const before = { ...valid, parts: parts.map((n) => part(n)) };
    const after = withConfirmedPart(before, part(add), 1_800_000_000_000);
    expect(after.parts.map((p) => p.partNumber)).toEqual(expected);
    expect(after.updatedAt).toBe(1_800_000_000_000);
    expect(before.parts.map((p) => p.partNumber)).toEqual(parts);
    expect(before.updatedAt).toBe(valid.updatedAt);
  });

  it('replaces a part with the same number', () => {
    const after = withConfirmedPart(valid, { ...part(2), etag: 'new' }, 5);
    expect(after.parts).toEqual([part(1), { ...part(2), etag: 'new' }]);
    expect(valid.parts[1]?.etag).toBe('etag-2');
  });

  it('keeps the result readable by parseCheckpoint', () => {
    expect(parseCheckpoint(withConfirmedPart(valid, part(3, 4 * MiB), 5))).toEqual({
      ...valid,
      parts: [part(1), part(2), part(3, 4 * MiB)],
      updatedAt: 5,
    });
  });
});
