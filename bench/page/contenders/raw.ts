/**
 * The floor every library is measured against: no hashing, no state, no retries. The bench app creates the
 * upload and presigns every part URL in one call; `concurrency` lanes PUT the file's Blob slices with plain
 * fetch and read the ETags; then complete.
 */
import { postJson } from '../benchApi.js';
import type { RawCreateResponse } from '../pageTypes.js';

export async function uploadWithRaw(
  file: File,
  options: { key: string; partSize: number; concurrency: number },
): Promise<{ key: string }> {
  const { partSize } = options;
  const created = await postJson<RawCreateResponse>('/bench/raw/create', {
    key: options.key,
    size: file.size,
    partSize,
  });
  const parts: Array<{ partNumber: number; etag: string }> = [];
  let next = 0;
  async function lane(): Promise<void> {
    for (let index = next++; index < created.urls.length; index = next++) {
      const body = file.slice(index * partSize, Math.min((index + 1) * partSize, file.size));
      const response = await fetch(created.urls[index] as string, { method: 'PUT', body });
      if (!response.ok) throw new Error(`PUT part ${index + 1}: ${response.status} ${await response.text()}`);
      const etag = response.headers.get('etag');
      if (!etag) throw new Error(`PUT part ${index + 1}: no readable ETag`);
      parts.push({ partNumber: index + 1, etag });
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  parts.sort((a, b) => a.partNumber - b.partNumber);
  await postJson('/bench/raw/complete', { key: created.key, uploadId: created.uploadId, parts });
  return { key: created.key };
}
