import { codeOf } from '../test/codeOf.js';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, UploadTokens } from './token.js';
import type { UploadTokenClaims } from './types.js';

const SECRET_A = 'a'.repeat(32);
const SECRET_B = 'b-secret-that-is-long-enough-to-sign-tokens';
const NOW = 1_800_000_000;

const claims: UploadTokenClaims = {
  uploadId: 'upload-1',
  key: 'uploads/ada/f1/Résumé (2).mp4',
  objectId: 'f1',
  userId: 'ada',
  size: 20_971_521,
  maxSize: 1024 ** 3,
  minSize: 1,
  partSize: 8_388_608,
  partCount: 3,
  contentType: 'video/mp4',
  sha256: `${'A'.repeat(43)}=`,
  checksumAlgorithm: 'md5',
  expiresAt: NOW + 600,
};

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodePayload(token: string): Record<string, unknown> {
  const [payload = ''] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Flip one character of `text` at `index` to another character of the base64url alphabet. */
function flip(text: string, index: number): string {
  const char = text[index] === 'A' ? 'B' : 'A';
  return `${text.slice(0, index)}${char}${text.slice(index + 1)}`;
}


describe('UploadTokens', () => {
  it('round-trips the exact claims, without the version field', async () => {
    const tokens = new UploadTokens(SECRET_A);
    const token = await tokens.sign(claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    await expect(tokens.verify(token, NOW)).resolves.toStrictEqual(claims);
  });

  it('round-trips claims of an upload of unknown size', async () => {
    const tokens = new UploadTokens(SECRET_A);
    const growing: UploadTokenClaims = {
      ...claims,
      size: null,
      partCount: null,
      sha256: null,
      checksumAlgorithm: 'sha256',
    };
    await expect(tokens.verify(await tokens.sign(growing), NOW)).resolves.toStrictEqual(growing);
  });

  it('accepts a token until the second before it expires', async () => {
    const tokens = new UploadTokens(SECRET_A);
    const token = await tokens.sign(claims);
    await expect(tokens.verify(token, claims.expiresAt - 1)).resolves.toStrictEqual(claims);
  });

  it.each([
    { name: 'at the expiry second', now: claims.expiresAt },
    { name: 'one second after', now: claims.expiresAt + 1 },
    { name: 'a year after', now: claims.expiresAt + 31_536_000 },
  ])('refuses a token $name with token-expired', async ({ now }) => {
    const tokens = new UploadTokens(SECRET_A);
    expect(await codeOf(tokens.verify(await tokens.sign(claims), now))).toBe('token-expired');
  });

  it.each<{ name: string; tamper: (token: string) => string }>([
    {
      name: 'a payload re-encoded with another user',
      tamper: (token) => {
        const [, signature] = token.split('.');
        return `${base64Url(JSON.stringify({ ...decodePayload(token), userId: 'mallory' }))}.${signature}`;
      },
    },
    {
      name: 'a payload re-encoded with a later expiry',
      tamper: (token) => {
        const [, signature] = token.split('.');
        return `${base64Url(JSON.stringify({ ...decodePayload(token), expiresAt: NOW + 10 ** 9 }))}.${signature}`;
      },
    },
    { name: 'one payload character changed', tamper: (token) => flip(token, 5) },
    { name: 'one signature character changed', tamper: (token) => flip(token, token.indexOf('.') + 5) },
    { name: 'the signature truncated by one character', tamper: (token) => token.slice(0, -1) },
    { name: 'the signature removed', tamper: (token) => token.slice(0, token.indexOf('.') + 1) },
    { name: 'no dot at all', tamper: (token) => token.replace('.', '') },
    { name: 'only the payload', tamper: (token) => token.slice(0, token.indexOf('.')) },
    { name: 'an extra segment', tamper: (token) => `${token}.AAAA` },
    { name: 'an empty extra segment', tamper: (token) => `${token}.` },
    { name: 'standard base64 characters in the signature', tamper: (token) => `${token.slice(0, -2)}+/` },
    { name: 'padding on the signature', tamper: (token) => `${token}=` },
    { name: 'whitespace in the signature', tamper: (token) => `${token.slice(0, -1)} ` },
    { name: 'an empty string', tamper: () => '' },
    { name: 'a lone dot', tamper: () => '.' },
    { name: 'non-base64 text', tamper: () => 'not a token!.at all?' },
  ])('refuses $name with token-invalid', async ({ tamper }) => {
    const tokens = new UploadTokens(SECRET_A);
    const token = await tokens.sign(claims);
    const tampered = tamper(token);
    expect(tampered).not.toBe(token);
    expect(await codeOf(tokens.verify(tampered, NOW))).toBe('token-invalid');
  });

  it('refuses a token signed with another secret with token-invalid', async () => {
    const token = await new UploadTokens(SECRET_B).sign(claims);
    expect(await codeOf(new UploadTokens(SECRET_A).verify(token, NOW))).toBe('token-invalid');
  });

  it('accepts one spelling of a token only: the spare bits of the last character are not ignored', async () => {
    const tokens = new UploadTokens(SECRET_A);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const token = await tokens.sign(claims);
    const [payload = '', signature = ''] = token.split('.');
    const last = alphabet.indexOf(signature.at(-1) ?? 'A');
    // The signature's 32 bytes leave 2 spare bits in its last character: its 3 neighbours decode the same.
    for (const neighbour of [last ^ 1, last ^ 2, last ^ 3]) {
      const respelled = `${payload}.${signature.slice(0, -1)}${alphabet[neighbour]}`;
      expect(await codeOf(tokens.verify(respelled, NOW))).toBe('token-invalid');
    }
    const lastOfPayload = alphabet.indexOf(payload.at(-1) ?? 'A');
    const respelledPayload = `${payload.slice(0, -1)}${alphabet[lastOfPayload ^ 1]}.${signature}`;
    expect(await codeOf(tokens.verify(respelledPayload, NOW))).toBe('token-invalid');
  });

  it('refuses a forged token as token-invalid even when it is also expired', async () => {
    const token = await new UploadTokens(SECRET_B).sign(claims);
    expect(await codeOf(new UploadTokens(SECRET_A).verify(token, claims.expiresAt + 1))).toBe('token-invalid');
  });

  it('refuses a genuine signature over a payload of another token version', async () => {
    // The version check is the only thing between a signed payload and the claims; exercise it with the real key.
    const payload = base64Url(JSON.stringify({ ...claims, v: 1 }));
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(SECRET_A),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const signature = Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload)));
    const token = `${payload}.${signature.toString('base64url')}`;
    expect(await codeOf(new UploadTokens(SECRET_A).verify(token, NOW))).toBe('token-invalid');
  });

  describe('secret rotation', () => {
    it('verifies a token signed with the old secret when the new one is listed first', async () => {
      const token = await new UploadTokens(SECRET_A).sign(claims);
      await expect(new UploadTokens([SECRET_B, SECRET_A]).verify(token, NOW)).resolves.toStrictEqual(claims);
    });

    it('signs with the first secret only', async () => {
      const token = await new UploadTokens([SECRET_B, SECRET_A]).sign(claims);
      await expect(new UploadTokens(SECRET_B).verify(token, NOW)).resolves.toStrictEqual(claims);
      expect(await codeOf(new UploadTokens(SECRET_A).verify(token, NOW))).toBe('token-invalid');
      expect(token).toBe(await new UploadTokens(SECRET_B).sign(claims));
    });

    it('stops accepting the old secret once it is removed', async () => {
      const token = await new UploadTokens(SECRET_A).sign(claims);
      expect(await codeOf(new UploadTokens([SECRET_B]).verify(token, NOW))).toBe('token-invalid');
    });
  });

  describe('constructor', () => {
    it.each([
      { name: 'an empty list', secrets: [] },
      { name: 'an empty secret', secrets: '' },
      { name: `a secret of ${MIN_SECRET_LENGTH - 1} characters`, secrets: 'x'.repeat(MIN_SECRET_LENGTH - 1) },
      { name: 'a short secret after a long one', secrets: [SECRET_A, 'short'] },
      { name: 'a short secret before a long one', secrets: ['short', SECRET_A] },
    ])('rejects $name', ({ secrets }) => {
      expect(() => new UploadTokens(secrets)).toThrow(TypeError);
    });

    it.each([
      { name: `a secret of exactly ${MIN_SECRET_LENGTH} characters`, secrets: 'x'.repeat(MIN_SECRET_LENGTH) },
      { name: 'a list of long secrets', secrets: [SECRET_A, SECRET_B] },
    ])('accepts $name', ({ secrets }) => {
      expect(() => new UploadTokens(secrets)).not.toThrow();
    });

    it('requires 32 characters', () => {
      expect(MIN_SECRET_LENGTH).toBe(32);
    });
  });
});
