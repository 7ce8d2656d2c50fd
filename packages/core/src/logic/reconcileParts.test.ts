import { describe, expect, it } from 'vitest';
import type { UploadedPart } from '../protocol.js';
import type { CheckpointPart } from './checkpoint.js';
import { reconcileParts } from './reconcileParts.js';

const cp = (partNumber: number, etag = `e${partNumber}`, size = 10): CheckpointPart => ({
  partNumber,
  size,
  etag,
  checksum: `sum${partNumber}`,
});
const store = (partNumber: number, etag = `e${partNumber}`, size = 10): UploadedPart => ({ partNumber, size, etag });
const adopted = (partNumber: number, etag = `e${partNumber}`, size = 10): CheckpointPart => ({
  partNumber,
  size,
  etag,
  checksum: null,
});

/** Four parts of 10 bytes and a last part of 4. */
const planned = (partNumber: number) => (partNumber === 5 ? 4 : 10);

describe('reconcileParts', () => {
  it.each<{
    name: string;
    checkpoint: CheckpointPart[];
    stored: UploadedPart[];
    expectedSize?: (partNumber: number) => number | null;
    result: ReturnType<typeof reconcileParts>;
  }>([
    { name: 'nothing anywhere', checkpoint: [], stored: [], result: { adopted: [], kept: [], resend: [] } },
    {
      name: 'both agree',
      checkpoint: [cp(1), cp(2)],
      stored: [store(1), store(2)],
      result: { adopted: [], kept: [cp(1), cp(2)], resend: [] },
    },
    {
      name: 'the store has a part the checkpoint lacks (saved before the crash)',
      checkpoint: [cp(1)],
      stored: [store(1), store(2)],
      result: { adopted: [adopted(2)], kept: [cp(1)], resend: [] },
    },
    {
      name: 'the store has a part of the wrong size',
      checkpoint: [],
      stored: [store(2, 'e2', 7)],
      result: { adopted: [], kept: [], resend: [2] },
    },
    {
      name: 'the last part has its own size',
      checkpoint: [],
      stored: [store(5, 'e5', 4)],
      result: { adopted: [adopted(5, 'e5', 4)], kept: [], resend: [] },
    },
    {
      name: 'the checkpoint has a part the store lacks',
      checkpoint: [cp(1), cp(3)],
      stored: [store(1)],
      result: { adopted: [], kept: [cp(1)], resend: [3] },
    },
    {
      name: 'the ETags differ: trust the store',
      checkpoint: [cp(1, 'old')],
      stored: [store(1, 'new')],
      result: { adopted: [adopted(1, 'new')], kept: [], resend: [] },
    },
    {
      name: 'the ETags differ and the store size is wrong',
      checkpoint: [cp(1, 'old')],
      stored: [store(1, 'new', 3)],
      result: { adopted: [], kept: [], resend: [1] },
    },
    {
      name: 'the ETags agree but the store size is wrong',
      checkpoint: [cp(1)],
      stored: [store(1, 'e1', 9)],
      result: { adopted: [], kept: [], resend: [1] },
    },
    {
      name: 'quoted and uppercase store ETags',
      checkpoint: [cp(1, 'abc')],
      stored: [store(1, '"ABC"'), store(2, '"DEF"')],
      result: { adopted: [adopted(2, 'def')], kept: [cp(1, 'abc')], resend: [] },
    },
    {
      name: 'duplicate store entries from overlapping pages, out of order',
      checkpoint: [],
      stored: [store(3), store(1), store(3)],
      result: { adopted: [adopted(1), adopted(3)], kept: [], resend: [] },
    },
    {
      name: 'unknown expected sizes accept the store',
      checkpoint: [cp(1)],
      stored: [store(1, 'e1', 3), store(2, 'e2', 99)],
      expectedSize: () => null,
      result: { adopted: [adopted(2, 'e2', 99)], kept: [cp(1, 'e1', 3)], resend: [] },
    },
    {
      name: 'a mix, resend in order',
      checkpoint: [cp(4), cp(1), cp(2, 'x')],
      stored: [store(3, 'e3', 1), store(2), store(1), store(5, 'e5', 4)],
      result: { adopted: [adopted(2), adopted(5, 'e5', 4)], kept: [cp(1)], resend: [3, 4] },
    },
  ])('$name', ({ checkpoint, stored, expectedSize = planned, result }) => {
    expect(reconcileParts(checkpoint, stored, expectedSize)).toEqual(result);
  });

  it('puts every part number in exactly one list', () => {
    const checkpoint = [cp(1), cp(2, 'x'), cp(4), cp(6)];
    const stored = [store(1), store(2), store(3, 'e3', 2), store(5, 'e5', 4), store(6, 'y')];
    const { adopted: taken, kept, resend } = reconcileParts(checkpoint, stored, planned);
    const numbers = [...taken.map((p) => p.partNumber), ...kept.map((p) => p.partNumber), ...resend].sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
