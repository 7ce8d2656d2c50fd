import type { Hasher } from '../ports.js';
import { abortedError } from './abortedError.js';
import { finishSha256, hashBlob, sha256Hex } from './hashBlob.js';

/**
 * A {@link Hasher} that hashes on the calling thread with hash-wasm (WebAssembly MD5 and SHA-256). The
 * fallback of {@link createWorkerHasher} where there are no workers, and the hasher for Node. A part's bytes
 * are read once and dropped after hashing; the running whole-file SHA-256 state is base64 text that survives
 * a JSON round trip, so it can live in a checkpoint.
 *
 * @example
 * ```ts
 * const hasher = createHashWasmHasher();
 * const { checksum, md5Hex, sha256State } = await hasher.hashPart({ blob: part, algorithm: 'md5', sha256State: null });
 * const sha256 = await hasher.finishSha256(sha256State ?? null);
 * ```
 */
export function createHashWasmHasher(): Hasher {
  return {
    async hashPart(input, signal) {
      if (signal?.aborted) throw abortedError('hashing', signal);
      const hash = await hashBlob(input);
      // The work is done, but a caller that gave up must not act on it.
      if (signal?.aborted) throw abortedError('hashing', signal);
      return hash;
    },
    finishSha256,
    sampleHash: sha256Hex,
  };
}
