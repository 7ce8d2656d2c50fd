import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTesseraError } from '../errors.js';
import { createHashWasmHasher } from './hashWasmHasher.js';

const digest = (algorithm: 'md5' | 'sha256', bytes: Uint8Array, encoding: 'base64' | 'hex') =>
  createHash(algorithm).update(bytes).digest(encoding);

describe('createHashWasmHasher', () => {
  const hasher = createHashWasmHasher();
  const sizes = [0, 1, 63, 64, 65, 1_000_003];

  it.each(sizes)('hashes %i random bytes with md5 like node:crypto', async (size) => {
    const bytes = randomBytes(size);
    const hash = await hasher.hashPart({ blob: new Blob([bytes]), algorithm: 'md5' });
    expect(hash).toStrictEqual({ checksum: digest('md5', bytes, 'base64'), md5Hex: digest('md5', bytes, 'hex') });
  });

  it.each(sizes)('hashes %i random bytes with sha256 like node:crypto', async (size) => {
    const bytes = randomBytes(size);
    const hash = await hasher.hashPart({ blob: new Blob([bytes]), algorithm: 'sha256' });
    expect(hash).toStrictEqual({ checksum: digest('sha256', bytes, 'base64') });
    expect(await hasher.sampleHash(new Blob([bytes]))).toBe(digest('sha256', bytes, 'hex'));
  });

  describe('sampleHash without Web Crypto (a page that is not a secure context)', () => {
    afterEach(() => vi.unstubAllGlobals());

    it.each(sizes)('hashes %i random bytes with hash-wasm to the same SHA-256', async (size) => {
      const bytes = randomBytes(size);
      const digestCalls = vi.spyOn(globalThis.crypto.subtle, 'digest');
      vi.stubGlobal('crypto', {});
      expect(await hasher.sampleHash(new Blob([bytes]))).toBe(digest('sha256', bytes, 'hex'));
      expect(digestCalls).not.toHaveBeenCalled();
      digestCalls.mockRestore();
    });
  });

  it('folds parts into a whole-file SHA-256 that survives a JSON round trip', async () => {
    const parts = [randomBytes(5 * 1024 * 1024 + 3), randomBytes(70_000), randomBytes(17)];
    let state: string | null = null;
    for (const part of parts) {
      const hash = await hasher.hashPart({ blob: new Blob([part]), algorithm: 'md5', sha256State: state });
      expect(hash.md5Hex).toBe(digest('md5', part, 'hex'));
      expect(typeof hash.sha256State).toBe('string');
      state = (JSON.parse(JSON.stringify({ state: hash.sha256State })) as { state: string }).state;
    }
    expect(await hasher.finishSha256(state)).toBe(digest('sha256', Buffer.concat(parts), 'base64'));
  });

  it('folds without a part digest when no algorithm is asked for, and reads nothing when asked for neither', async () => {
    const part = randomBytes(70_000);
    const folded = await hasher.hashPart({ blob: new Blob([part]), sha256State: null });
    expect(Object.keys(folded)).toEqual(['sha256State']);
    expect(await hasher.finishSha256(folded.sha256State ?? null)).toBe(digest('sha256', part, 'base64'));
    // A blob that cannot be read proves nothing was read.
    const unreadable = { size: 1, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as Blob;
    expect(await hasher.hashPart({ blob: unreadable })).toStrictEqual({});
  });

  it('keeps interleaved calls apart', async () => {
    const parts = Array.from({ length: 6 }, (_, index) => randomBytes(10_000 * (index + 1)));
    const hashes = await Promise.all(
      parts.map((part, index) =>
        hasher.hashPart({ blob: new Blob([part]), algorithm: index % 2 ? 'md5' : 'sha256', sha256State: null }),
      ),
    );
    hashes.forEach((hash, index) => {
      const part = parts[index] ?? new Uint8Array();
      expect(hash.checksum).toBe(digest(index % 2 ? 'md5' : 'sha256', part, 'base64'));
    });
    const finished = await Promise.all(hashes.map((hash) => hasher.finishSha256(hash.sha256State ?? null)));
    expect(finished).toStrictEqual(parts.map((part) => digest('sha256', part, 'base64')));
  });

  it('finishes a fresh state as the SHA-256 of nothing', async () => {
    expect(await hasher.finishSha256(null)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('refuses an unreadable state as checkpoint-error', async () => {
    const error: unknown = await hasher.finishSha256('AAAA').catch((reason: unknown) => reason);
    expect(isTesseraError(error, 'checkpoint-error')).toBe(true);
    const notBase64: unknown = await hasher.finishSha256('not base64!').catch((reason: unknown) => reason);
    expect(isTesseraError(notBase64, 'checkpoint-error')).toBe(true);
  });

  it('rejects with aborted once the signal fired', async () => {
    const error: unknown = await hasher
      .hashPart({ blob: new Blob(['x']), algorithm: 'md5' }, AbortSignal.abort())
      .catch((reason: unknown) => reason);
    expect(isTesseraError(error, 'aborted')).toBe(true);
  });
});
