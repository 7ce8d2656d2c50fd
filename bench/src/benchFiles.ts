/**
 * The files uploaded, generated once on disk with the browser tests' deterministic generator and kept
 * between bench runs (`<tmpdir>/tessera-bench/`), each with its SHA-256 in a sidecar file.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestFile } from '../../tests/support/browserTestFiles.js';

export const BENCH_FILE_DIR = join(tmpdir(), 'tessera-bench');
const MiB = 1024 * 1024;

export interface BenchFile {
  path: string;
  size: number;
  sha256: string;
}

/** A file of `size` bytes (made now unless an intact one is already there). */
export async function benchFile(size: number, seed = 7): Promise<BenchFile> {
  mkdirSync(BENCH_FILE_DIR, { recursive: true });
  const path = join(BENCH_FILE_DIR, `bench-${size / MiB}MiB-seed${seed}.bin`);
  const sidecar = `${path}.sha256`;
  if (existsSync(path) && existsSync(sidecar) && statSync(path).size === size) {
    return { path, size, sha256: readFileSync(sidecar, 'utf8').trim() };
  }
  const sha256 = await makeTestFile(path, size, seed);
  writeFileSync(sidecar, `${sha256}\n`);
  return { path, size, sha256 };
}
