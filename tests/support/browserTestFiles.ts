/** Large deterministic test files on disk, and the SHA-256 of what the store holds, both streamed. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type StoreInfo, storeClient } from '../../scripts/swiftStore.js';

const MiB = 1024 * 1024;
const WRITE_SIZE = 8 * MiB;

/** Where browser tests keep their files: `<os tmpdir>/tessera-browser-tests`. */
export const TEST_FILE_DIR = join(tmpdir(), 'tessera-browser-tests');

/** A path for a test file under {@link TEST_FILE_DIR} (created), unique to this process. */
export function testFilePath(name: string): string {
  mkdirSync(TEST_FILE_DIR, { recursive: true });
  return join(TEST_FILE_DIR, `${process.pid}-${name}`);
}

/** Delete a test file; a missing one is fine. */
export function removeTestFile(path: string): Promise<void> {
  return rm(path, { force: true });
}

/**
 * Write `sizeBytes` of deterministic pseudo-random bytes to `path` and return their SHA-256 (hex),
 * computed while writing. One 1 MiB pattern is drawn from `seed`, and every MiB is that pattern XORed
 * with a word drawn from `seed` and the MiB's index (which also opens the MiB), so no two MiB are equal
 * and 1 GiB takes 2-5 s here (about 1 s of CPU; the rest is the disk).
 * @example
 * const path = testFilePath('video.bin');
 * const sha256 = await makeTestFile(path, 64 * 1024 * 1024, 7);
 */
export async function makeTestFile(path: string, sizeBytes: number, seed: number): Promise<string> {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`bad file size ${sizeBytes}`);
  mkdirSync(dirname(path), { recursive: true });
  const pattern = new Uint32Array(MiB / 4);
  const next = xorshift32(seed);
  for (let i = 0; i < pattern.length; i++) pattern[i] = next();

  // Two 8 MiB blocks: one is filled and hashed while the other is being written (large writes are faster).
  const blocks = [Buffer.alloc(WRITE_SIZE), Buffer.alloc(WRITE_SIZE)] as const;
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let offset = 0, round = 0; offset < sizeBytes; offset += WRITE_SIZE, round++) {
      const block = blocks[round % 2] as Buffer;
      const length = Math.min(WRITE_SIZE, sizeBytes - offset);
      for (let at = 0; at < length; at += MiB) fillMiB(block, at, pattern, seed, (offset + at) / MiB);
      const chunk = block.subarray(0, length);
      hash.update(chunk);
      await writing;
      writing = writeFully(file, chunk, offset);
    }
    await writing;
  } finally {
    await writing.catch(() => undefined);
    await file.close();
  }
  return hash.digest('hex');
}

/** SHA-256 (hex) and size of a stored object, streamed from the store without holding it in memory. */
export async function storedObjectSha256(store: StoreInfo, key: string): Promise<{ sha256: string; size: number }> {
  const client = storeClient(store);
  try {
    const { Body: body } = await client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
    if (!(body instanceof Readable)) throw new TypeError('expected the object body as a Node stream');
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    client.destroy();
  }
}

/** MiB number `index` of the file: the pattern XORed with a word drawn from the seed and `index`. */
function fillMiB(block: Buffer, at: number, pattern: Uint32Array, seed: number, index: number): void {
  const words = new Uint32Array(block.buffer, block.byteOffset + at, MiB / 4);
  const key = xorshift32(seed ^ Math.imul(index + 1, 0x9e3779b1))();
  for (let i = 0; i < words.length; i++) words[i] = (pattern[i] as number) ^ key;
  words[0] = index;
}

async function writeFully(file: FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let written = 0; written < chunk.length; ) {
    written += (await file.write(chunk, written, chunk.length - written, position + written)).bytesWritten;
  }
}

function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 0x2545f491;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>>= 0);
  };
}
