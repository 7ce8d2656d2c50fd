/**
 * What every soak row runs on: the store, the built test page, one Chromium, the configuration, and the
 * store-side checks (what is stored, what is left open). Rows open their own apps and browser contexts.
 */
import { createHash } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { type StoreInfo, storeClient } from '../../scripts/swiftStore.js';
import { storedObjectSha256 } from '../support/browserHarness.js';
import { bucketState } from '../support/bucketState.js';
import { mulberry32 } from '../support/faultProxy.js';
import { patternChunk } from '../support/pattern.js';
import type { SoakConfig } from './soakConfig.js';

export const MiB = 1024 * 1024;

export interface SoakEnvironment {
  store: StoreInfo;
  /** The built test page (tests/browser/page). */
  pageDir: string;
  browser: Browser;
  config: SoakConfig;
  log(line: string): void;
}

/**
 * A seeded generator for one purpose (`'r1-sizes'`, `'r2-kills'`): each stream is drawn from the run's seed
 * and its name, so changing one row does not move another's draws.
 */
export function seededStream(env: Pick<SoakEnvironment, 'config'>, name: string): () => number {
  let hash = env.config.seed >>> 0;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return mulberry32(hash);
}

/** An integer in `[min, max]` from `random`. */
export const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, ms)));

/** Where a user's objects go with the handler's default object key. */
export const userPrefix = (user: string) => `uploads/${user}/`;

/** The multipart uploads open in the store under `prefix` (ListMultipartUploads, every page), as `key uploadId`. */
export async function openUploads(store: StoreInfo, prefix: string): Promise<string[]> {
  const s3 = storeClient(store);
  try {
    return (await bucketState(s3, store.bucket))
      .filter((line) => line.startsWith(`upload ${prefix}`))
      .map((line) => line.slice('upload '.length));
  } finally {
    s3.destroy();
  }
}

/** Whether the object at `key` holds exactly the bytes with this SHA-256 and size (read back from the store). */
export async function storedMatches(store: StoreInfo, key: string, expected: { sha256: string; size: number }) {
  try {
    const stored = await storedObjectSha256(store, key);
    return stored.sha256 === expected.sha256 && stored.size === expected.size;
  } catch {
    return false;
  }
}

/** Remove a checked object, so a long run does not fill the disk. */
export async function deleteStored(store: StoreInfo, key: string): Promise<void> {
  const s3 = storeClient(store);
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key }));
  } finally {
    s3.destroy();
  }
}

/** SHA-256 of the first `size` bytes the page's test recordings write (`patternChunk`s of `chunkBytes`). */
export function patternSha256(seed: number, chunkBytes: number, size: number): string {
  const hash = createHash('sha256');
  for (let index = 0, done = 0; done < size; index++) {
    const chunk = patternChunk(seed, index, Math.min(chunkBytes, size - done));
    hash.update(chunk);
    done += chunk.length;
  }
  return hash.digest('hex');
}

/** Run `work` over `items`, at most `parallel` at once, keeping the results in order. */
export async function inPool<T, R>(items: readonly T[], parallel: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as T, index);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}

/** One thing at a time (the page has one file input: pick and start must not interleave). */
export function mutex(): <T>(work: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };
}

export const seconds = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
