import { normalizeEtag } from '../logic/integrity.js';
import type { PartUploadResult } from '../ports.js';

/**
 * Classify the answer to a part PUT. Status 0 means no answer arrived (`network`); a 2xx needs a readable
 * `ETag` header, returned normalized (no quotes, lowercase), or it is `etag-missing` (the bucket's CORS does
 * not expose it); any other status is `http` with the store's error document as `body`.
 *
 * @example
 * ```ts
 * partResponseResult(200, '"9b2cf535f27731c974343645a3985328"', '') // { ok: true, etag: '9b2c…5328' }
 * partResponseResult(200, null, '') // { ok: false, failure: { kind: 'etag-missing' } }
 * ```
 */
export function partResponseResult(status: number, etag: string | null, body: string): PartUploadResult {
  if (status === 0) return { ok: false, failure: { kind: 'network' } };
  if (status < 200 || status > 299) return { ok: false, failure: { kind: 'http', status, body } };
  const normalized = etag === null ? '' : normalizeEtag(etag);
  return normalized === '' ? { ok: false, failure: { kind: 'etag-missing' } } : { ok: true, etag: normalized };
}
