/** Deterministic bytes shared by the page (which records them) and Node (which checks what was stored). */
export function patternChunk(seed: number, index: number, size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let state = (Math.imul(seed, 1_000_003) + index * 7919 + 1) >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
    bytes[i + 1] = (state >>> 8) & 0xff;
    bytes[i + 2] = (state >>> 16) & 0xff;
    bytes[i + 3] = (state >>> 24) & 0xff;
  }
  return bytes;
}
