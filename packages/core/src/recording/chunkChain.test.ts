import { describe, expect, it } from 'vitest';
import { type ChunkRef, chainChunks, chainSize, chunksInRange } from './chunkChain.js';

const chunk = (offset: number, size: number): ChunkRef => ({ offset, size });

describe('chainChunks', () => {
  it.each([
    { name: 'nothing', found: [], chain: [], strays: [] },
    { name: 'chunks out of order', found: [chunk(5, 3), chunk(0, 5), chunk(8, 2)], chain: [chunk(0, 5), chunk(5, 3), chunk(8, 2)], strays: [] },
    { name: 'a first chunk missing', found: [chunk(5, 3)], chain: [], strays: [chunk(5, 3)] },
    { name: 'everything after a gap', found: [chunk(0, 5), chunk(6, 1), chunk(7, 1)], chain: [chunk(0, 5)], strays: [chunk(6, 1), chunk(7, 1)] },
    { name: 'an empty chunk', found: [chunk(0, 5), chunk(5, 0), chunk(5, 2)], chain: [chunk(0, 5), chunk(5, 2)], strays: [chunk(5, 0)] },
    { name: 'two chunks at one offset (the larger wins)', found: [chunk(0, 2), chunk(0, 4), chunk(4, 1)], chain: [chunk(0, 4), chunk(4, 1)], strays: [chunk(0, 2)] },
    { name: 'a chunk overlapping the previous one', found: [chunk(0, 4), chunk(2, 4), chunk(4, 1)], chain: [chunk(0, 4), chunk(4, 1)], strays: [chunk(2, 4)] },
  ])('$name', ({ found, chain, strays }) => {
    expect(chainChunks(found)).toStrictEqual({ chain, strays });
  });
});

describe('chunksInRange', () => {
  const chain = [chunk(0, 5), chunk(5, 5), chunk(10, 5), chunk(15, 1)];

  it.each([
    { start: 0, end: 16, offsets: [0, 5, 10, 15] },
    { start: 0, end: 5, offsets: [0] },
    { start: 4, end: 6, offsets: [0, 5] },
    { start: 5, end: 10, offsets: [5] },
    { start: 9, end: 11, offsets: [5, 10] },
    { start: 15, end: 16, offsets: [15] },
    { start: 3, end: 3, offsets: [] },
    { start: 16, end: 16, offsets: [] },
  ])('[$start, $end) lies in the chunks at $offsets', ({ start, end, offsets }) => {
    expect(chunksInRange(chain, start, end).map((found) => found.offset)).toStrictEqual(offsets);
  });

  it('finds the chunks of a range in a long chain', () => {
    const long = Array.from({ length: 1000 }, (_, index) => chunk(index * 3, 3));
    expect(chunksInRange(long, 1500, 1507)).toStrictEqual([chunk(1500, 3), chunk(1503, 3), chunk(1506, 3)]);
  });
});

describe('chainSize', () => {
  it('is the end of the last chunk', () => {
    expect(chainSize([])).toBe(0);
    expect(chainSize([chunk(0, 5), chunk(5, 2)])).toBe(7);
  });
});
