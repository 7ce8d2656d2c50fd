/** The engine's ports in Node for integration tests: fetch part uploads, hash-wasm, a memory checkpoint store. */
import {
  createFetchPartUploader,
  createHashWasmHasher,
  createMemoryCheckpointStore,
  type NetworkStatus,
  type UploadOptions,
} from '@tessera/core';
import { TEST_USER_HEADER } from './uploadServer.js';

/** A network that is always up: Node has no browser events; the engine still detects failures itself. */
export const ALWAYS_ONLINE: NetworkStatus = { isOnline: () => true, subscribe: () => () => undefined };

/** A file of `data` as a test upload's source (a fixed name, type and modification time). */
export function testSource(data: Uint8Array<ArrayBuffer>, name = 'talk.webm', type = 'video/webm'): File {
  return new File([data], name, { type, lastModified: 1_700_000_000_000 });
}

/**
 * The options every Node test upload shares: the Node ports, the test user `user` in the header the test
 * handler reads, and `endpoint`; `extra` over them.
 */
export function nodeEngineOptions<Extra extends object>(
  endpoint: string,
  extra: Extra = {} as Extra,
  user = 'alice',
): Omit<UploadOptions, 'source'> & Extra {
  return {
    endpoint,
    uploader: createFetchPartUploader(),
    hasher: createHashWasmHasher(),
    checkpoints: createMemoryCheckpointStore(),
    network: ALWAYS_ONLINE,
    headers: () => ({ [TEST_USER_HEADER]: user }),
    ...extra,
  };
}
