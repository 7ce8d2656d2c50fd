/**
 * Tessera as an app would use it: `createUpload` with its browser defaults (XHR PUTs, MD5 + SHA-256 in a
 * worker, IndexedDB checkpoints); `wholeFileSha256: false` for the variants that leave the whole-file hash out.
 */
import { createUpload } from '@tessera/core';

export async function uploadWithTessera(
  file: File,
  options: { endpoint: string; concurrency: number; wholeFileSha256: boolean },
): Promise<{ key: string }> {
  const upload = createUpload({
    source: file,
    endpoint: options.endpoint,
    concurrency: options.concurrency,
    wholeFileSha256: options.wholeFileSha256,
  });
  upload.start();
  const result = await upload.done();
  return { key: result.key };
}
