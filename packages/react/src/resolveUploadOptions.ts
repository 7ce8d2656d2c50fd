import { TesseraError, type UploadQueueOptions } from '@tessera/core';
import type { TesseraConfig } from './useTessera.js';

/**
 * Upload options from a provider's defaults and a hook's own (which win; `undefined` fields do not count).
 *
 * @throws {@link TesseraError} `invalid-field` (field `endpoint`) when neither gives an endpoint.
 * @example
 * ```ts
 * resolveUploadOptions(useTessera(), { concurrency: 2 }) // { endpoint: '/api/uploads', concurrency: 2, … }
 * ```
 */
export function resolveUploadOptions(config: TesseraConfig, own: Partial<UploadQueueOptions>): UploadQueueOptions {
  const defined = Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined));
  const endpoint = own.endpoint ?? config.endpoint;
  if (!endpoint) {
    const message = 'no endpoint: pass `endpoint`, or render inside <TesseraProvider endpoint="…">';
    throw new TesseraError('invalid-field', message, { field: 'endpoint' });
  }
  return { ...config.options, ...defined, endpoint };
}
