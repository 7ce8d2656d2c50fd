/** A stored chunk of a recording: bytes `[offset, offset + size)`. */
export interface ChunkRef {
  offset: number;
  size: number;
}

/** What {@link chainChunks} found. */
export interface ChunkChain {
  /** Chunks that follow each other from offset 0 without a gap, in order. */
  chain: ChunkRef[];
  /** Everything else: empty chunks, chunks after a gap, a second chunk at an offset already taken. */
  strays: ChunkRef[];
}

/**
 * Order the chunks found on storage into the recording they make: the longest gap-free run from offset 0.
 * Appends are written one after another, so a crash leaves such a run plus, at most, a chunk that was being
 * written; anything that does not fit the run is a stray, to delete. Of two chunks at one offset the larger
 * wins.
 *
 * @example
 * ```ts
 * chainChunks([{ offset: 5, size: 3 }, { offset: 0, size: 5 }, { offset: 9, size: 1 }])
 * // { chain: [{ offset: 0, size: 5 }, { offset: 5, size: 3 }], strays: [{ offset: 9, size: 1 }] }
 * ```
 */
export function chainChunks(chunks: readonly ChunkRef[]): ChunkChain {
  const sorted = [...chunks].sort((a, b) => a.offset - b.offset || b.size - a.size);
  const chain: ChunkRef[] = [];
  const strays: ChunkRef[] = [];
  let end = 0;
  let gap = false;
  for (const chunk of sorted) {
    if (chunk.offset > end) gap = true;
    if (!gap && chunk.offset === end && chunk.size > 0) {
      chain.push(chunk);
      end += chunk.size;
    } else {
      strays.push(chunk);
    }
  }
  return { chain, strays };
}

/**
 * The chunks of a gap-free `chain` that hold bytes of `[start, end)`, found by binary search; empty for an
 * empty range. The caller checks `0 <= start <= end <= size` first.
 *
 * @example
 * ```ts
 * chunksInRange([{ offset: 0, size: 5 }, { offset: 5, size: 5 }, { offset: 10, size: 5 }], 4, 6)
 * // [{ offset: 0, size: 5 }, { offset: 5, size: 5 }]
 * ```
 */
export function chunksInRange(chain: readonly ChunkRef[], start: number, end: number): ChunkRef[] {
  if (start >= end) return [];
  // The last chunk starting at or before `start`.
  let low = 0;
  let high = chain.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((chain[middle]?.offset ?? Infinity) <= start) low = middle;
    else high = middle - 1;
  }
  const found: ChunkRef[] = [];
  for (let index = low; index < chain.length; index++) {
    const chunk = chain[index];
    if (chunk === undefined || chunk.offset >= end) break;
    found.push(chunk);
  }
  return found;
}

/**
 * The byte after the last chunk of a gap-free chain: its size.
 *
 * @example
 * ```ts
 * chainSize([{ offset: 0, size: 5 }, { offset: 5, size: 2 }]) // 7
 * ```
 */
export function chainSize(chain: readonly ChunkRef[]): number {
  const last = chain.at(-1);
  return last === undefined ? 0 : last.offset + last.size;
}
