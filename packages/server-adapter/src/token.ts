import { TesseraError } from '@tessera/core';
import type { UploadTokenClaims } from './types.js';

const encoder = new TextEncoder();
// 2: objectId, maxSize and minSize are bound as well.
const TOKEN_VERSION = 2;
/** Shortest secret accepted: 32 bytes, as much entropy as the HMAC-SHA-256 output. */
export const MIN_SECRET_LENGTH = 32;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
  // One spelling per token: the last character's spare bits are ignored by atob, so without this check a
  // genuine token would have several valid spellings.
  return toBase64Url(bytes) === text ? bytes : null;
}

/**
 * Signs and verifies upload tokens: `base64url(claims JSON).base64url(HMAC-SHA-256)`. Stateless, so any
 * number of server instances sharing the secret accept each other's tokens. With several secrets the first
 * signs and all verify, which lets a secret be rotated without breaking uploads in flight.
 */
export class UploadTokens {
  private readonly keys: Promise<CryptoKey[]>;

  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : [...secrets];
    if (list.length === 0 || list.some((secret) => secret.length < MIN_SECRET_LENGTH)) {
      throw new TypeError(`every upload token secret must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    this.keys = Promise.all(
      list.map((secret) =>
        crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
          'verify',
        ]),
      ),
    );
  }

  async sign(claims: UploadTokenClaims): Promise<string> {
    const [key] = await this.keys;
    const payload = toBase64Url(encoder.encode(JSON.stringify({ v: TOKEN_VERSION, ...claims })));
    const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key as CryptoKey, encoder.encode(payload)));
    return `${payload}.${toBase64Url(signature)}`;
  }

  /** The token's claims; throws `token-invalid` when tampered with and `token-expired` past its expiry. */
  async verify(token: string, nowSeconds: number): Promise<UploadTokenClaims> {
    const invalid = () => new TesseraError('token-invalid', 'the upload token is not valid');
    const [payload, signatureText, extra] = token.split('.');
    if (payload === undefined || signatureText === undefined || extra !== undefined) throw invalid();
    const signature = fromBase64Url(signatureText);
    if (signature === null) throw invalid();
    let verified = false;
    for (const key of await this.keys) {
      // crypto.subtle.verify compares in constant time
      if (await crypto.subtle.verify('HMAC', key, signature, encoder.encode(payload))) {
        verified = true;
        break;
      }
    }
    if (!verified) throw invalid();
    const bytes = fromBase64Url(payload);
    const claims = bytes && (JSON.parse(new TextDecoder().decode(bytes)) as UploadTokenClaims & { v: number });
    if (!claims || claims.v !== TOKEN_VERSION) throw invalid();
    if (claims.expiresAt <= nowSeconds) {
      throw new TesseraError('token-expired', 'the upload token has expired; start the upload again');
    }
    const { v: _version, ...rest } = claims;
    return rest;
  }
}
