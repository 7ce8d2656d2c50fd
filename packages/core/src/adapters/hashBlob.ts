import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import { TesseraError } from '../errors.js';
import { base64ToHex, bytesToHex, hexToBase64, hexToBytes } from '../logic/integrity.js';
import type { PartHash } from '../ports.js';
import type { PartDigestAlgorithm } from '../protocol.js';

/** What {@link hashBlob} hashes: a part's bytes and, optionally, the running whole-file SHA-256 to fold them into. */
export interface HashBlobInput {
  blob: Blob;
  /** The part digest to compute; absent: none (only the whole-file fold). */
  algorithm?: PartDigestAlgorithm;
  /** Running whole-file SHA-256 state (base64); `null` starts one; absent leaves the whole-file hash alone. */
  sha256State?: string | null;
}

// One WebAssembly instance per algorithm, created on first use. Each use below runs init → digest/save
// without an `await` in between, so calls that interleave at their awaits cannot mix their bytes.
let md5Hasher: Promise<IHasher> | undefined;
let sha256Hasher: Promise<IHasher> | undefined;
const md5 = () => (md5Hasher ??= createMD5());
const sha256 = () => (sha256Hasher ??= createSHA256());

const toBase64 = (bytes: Uint8Array) => hexToBase64(bytesToHex(bytes));

function loadState(hasher: IHasher, state: string | null): IHasher {
  hasher.init();
  if (state === null) return hasher;
  try {
    return hasher.load(hexToBytes(base64ToHex(state)));
  } catch (cause) {
    throw new TesseraError('checkpoint-error', 'the saved SHA-256 state is unreadable', { cause });
  }
}

async function readBytes(blob: Blob): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (cause) {
    // A picked file that changed or vanished on disk cannot be read any more.
    throw new TesseraError('source-error', 'could not read the file', { cause });
  }
}

/**
 * Read `blob` once and hash it: its digest with `algorithm` (base64, plus hex for MD5, which is what a part's
 * ETag is), and with `sha256State` the running whole-file SHA-256 with these bytes folded in. Asked for
 * neither, it reads nothing. The bytes are
 * read with `blob.arrayBuffer()` and dropped on return. Runs wherever it is called (a worker or the page).
 *
 * @throws {@link TesseraError} `source-error` when the blob cannot be read; `checkpoint-error` for a state
 * that is not one {@link hashBlob} produced.
 * @example
 * ```ts
 * let state: string | null = null;
 * for (const part of parts) ({ sha256State: state = null } = await hashBlob({ blob: part, algorithm: 'md5', sha256State: state }));
 * const sha256 = await finishSha256(state);
 * ```
 */
export async function hashBlob({ blob, algorithm, sha256State }: HashBlobInput): Promise<PartHash> {
  const result: PartHash = {};
  if (algorithm === undefined && sha256State === undefined) return result;
  const bytes = await readBytes(blob);
  if (algorithm !== undefined) {
    const partHasher = await (algorithm === 'md5' ? md5() : sha256());
    const digest = partHasher.init().update(bytes).digest('binary');
    result.checksum = toBase64(digest);
    if (algorithm === 'md5') result.md5Hex = bytesToHex(digest);
  }
  if (sha256State !== undefined) {
    const wholeFile = loadState(await sha256(), sha256State).update(bytes);
    result.sha256State = toBase64(wholeFile.save());
  }
  return result;
}

/**
 * The base64 SHA-256 digest of everything folded into `state` by {@link hashBlob}; `null` is the digest of
 * no bytes at all.
 *
 * @example
 * ```ts
 * await finishSha256(null) // '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
 * ```
 */
export async function finishSha256(state: string | null): Promise<string> {
  return toBase64(loadState(await sha256(), state).digest('binary'));
}

/**
 * The hex SHA-256 of a small blob (a fingerprint sample). Web Crypto where the page has it (a secure
 * context): native code off the page's thread; else hash-wasm on the calling thread.
 *
 * @example
 * ```ts
 * await sha256Hex(file.slice(0, 65_536)) // '9f86d081884c7d65…'
 * ```
 */
export async function sha256Hex(blob: Blob): Promise<string> {
  const bytes = await readBytes(blob);
  const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  if (subtle) return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return (await sha256()).init().update(bytes).digest('hex');
}
