import { TesseraError } from '../errors.js';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function invalid(what: string, value: string): TesseraError {
  return new TesseraError('invalid-field', `not ${what}: ${JSON.stringify(value.slice(0, 80))}`);
}

/**
 * Decode a hex string (either case) into bytes.
 *
 * @throws {@link TesseraError} `invalid-field` when `hex` has an odd length or a non-hex character.
 * @example
 * ```ts
 * hexToBytes('00ff10') // Uint8Array [0, 255, 16]
 * ```
 */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw invalid('hex', hex);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Encode bytes as lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Convert a base64 digest (as in `Content-MD5` or `x-amz-checksum-sha256`) to lowercase hex. Padding is
 * optional; whitespace and the URL-safe alphabet are refused, as S3 refuses them in those headers.
 *
 * @throws {@link TesseraError} `invalid-field` when `base64` is not base64.
 * @example
 * ```ts
 * base64ToHex('1B2M2Y8AsgTpgAmY7PhCfg==') // 'd41d8cd98f00b204e9800998ecf8427e'
 * ```
 */
export function base64ToHex(base64: string): string {
  const digits = base64.replace(/={1,2}$/, '');
  if (
    digits.length % 4 === 1 ||
    (base64.includes('=') && base64.length % 4 !== 0) ||
    !/^[A-Za-z0-9+/]*$/.test(digits)
  ) {
    throw invalid('base64', base64);
  }
  let hex = '';
  let buffer = 0;
  let bits = 0;
  for (const digit of digits) {
    buffer = ((buffer << 6) | BASE64_ALPHABET.indexOf(digit)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += ((buffer >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

/**
 * Convert a hex digest to padded base64, the form `Content-MD5` and `x-amz-checksum-*` headers carry.
 *
 * @throws {@link TesseraError} `invalid-field` when `hex` is not hex.
 * @example
 * ```ts
 * hexToBase64('d41d8cd98f00b204e9800998ecf8427e') // '1B2M2Y8AsgTpgAmY7PhCfg=='
 * ```
 */
export function hexToBase64(hex: string): string {
  const bytes = hexToBytes(hex);
  let base64 = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const digits = Math.min(4, bytes.length - i + 1);
    for (let d = 0; d < 4; d++) base64 += d < digits ? BASE64_ALPHABET[(chunk >> (18 - 6 * d)) & 63] : '=';
  }
  return base64;
}

/**
 * Bring an ETag to the form Tessera compares: no surrounding quotes, no weak `W/` prefix, lowercase.
 *
 * @example
 * ```ts
 * normalizeEtag('W/"9B2CF535F27731C974343645A3985328-3"') // '9b2cf535f27731c974343645a3985328-3'
 * ```
 */
export function normalizeEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//i, '')
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
}

/**
 * The ETag S3 gives an object completed from parts: the MD5 of the parts' binary MD5s, concatenated in
 * part order, then `-` and the part count. Lets the engine check the completed object against the bytes
 * it read, without reading them again. Part MD5s may be given as raw part ETags (quotes are removed).
 *
 * @param partMd5sHex - each part's MD5 as hex, in part-number order.
 * @param md5 - MD5 of bytes as hex; injected so this module stays free of crypto implementations.
 * @throws {@link TesseraError} `invalid-field` for an empty list or a value that is not a 16-byte hex MD5.
 * @example
 * ```ts
 * multipartEtag(parts.map((part) => part.etag), (bytes) => sparkMd5.ArrayBuffer.hash(bytes)) // '…-3'
 * ```
 */
export function multipartEtag(partMd5sHex: string[], md5: (bytes: Uint8Array) => string): string {
  if (partMd5sHex.length === 0) throw new TesseraError('invalid-field', 'a multipart ETag needs at least one part');
  const joined = new Uint8Array(partMd5sHex.length * 16);
  partMd5sHex.forEach((etag, index) => {
    const digest = normalizeEtag(etag);
    if (digest.length !== 32) throw invalid('an MD5 in hex', etag);
    joined.set(hexToBytes(digest), index * 16);
  });
  return `${normalizeEtag(md5(joined))}-${partMd5sHex.length}`;
}
