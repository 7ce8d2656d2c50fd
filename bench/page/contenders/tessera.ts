/** Tessera as an app would use it: `createUpload` with its browser defaults (XHR PUTs, MD5 + SHA-256 in a worker, IndexedDB checkpoints). */
import { createUpload } from '@tessera/core';

export async function uploadWithTessera(
  file: File,
  options: { endpoint: string; concurrency: number },
): Promise<{ key: string }> {
  const upload = createUpload({ source: file, endpoint: options.endpoint, concurrency: options.concurrency });
  upload.start();
  const result = await upload.done();
  return { key: result.key };
}
