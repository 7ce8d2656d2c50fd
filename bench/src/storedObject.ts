/**
 * A benchmark of a broken upload is worthless: every measured upload's stored object is read back and its
 * SHA-256, size and part count checked, then deleted so 4 GiB runs do not fill the disk.
 */
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { type StoreInfo, storeClient } from '../../scripts/swiftStore.js';
import { storedObjectSha256 } from '../../tests/support/browserTestFiles.js';

export interface Expected {
  sha256: string;
  size: number;
  /** Parts the object must be made of (from its multipart ETag `…-N`). */
  partCount: number;
}

/** Throw unless `key` holds exactly the expected bytes as `partCount` parts; then delete it. */
export async function verifyAndDelete(store: StoreInfo, key: string, expected: Expected): Promise<void> {
  const client = storeClient(store);
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: key }));
    const parts = Number(/-(\d+)"?$/.exec(head.ETag ?? '')?.[1] ?? 1);
    const stored = await storedObjectSha256(store, key);
    const problems = [
      stored.size !== expected.size && `size ${stored.size} ≠ ${expected.size}`,
      stored.sha256 !== expected.sha256 && `sha256 ${stored.sha256} ≠ ${expected.sha256}`,
      parts !== expected.partCount && `${parts} parts ≠ ${expected.partCount} (ETag ${head.ETag})`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`stored object ${key} is wrong: ${problems.join('; ')}`);
    await client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key }));
  } finally {
    client.destroy();
  }
}
