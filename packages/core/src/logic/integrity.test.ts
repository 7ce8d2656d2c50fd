import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TesseraError } from '../errors.js';
import { base64ToHex, bytesToHex, hexToBase64, hexToBytes, multipartEtag, normalizeEtag } from './integrity.js';

const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const encode = (text: string) => new TextEncoder().encode(text);
/** Deterministic, varied test bytes. */
const bytesOf = (length: number, seed: number) =>
  Buffer.from(Array.from({ length }, (_, i) => (i * 131 + seed * 71 + (i >> 3)) & 255));

describe('multipartEtag', () => {
  it.each([
    {
      name: 'three parts (vector from Python hashlib)',
      parts: [
        'f814893777bcc2295fff05f00e508da6',
        'a020557699724b0bb4fc5a1949e8ee1c',
        '7d793037a0760186574b0282f2f435e7',
      ],
      etag: '98c2f083991e2970a99c9c318427ed50-3',
    },
    { name: 'one empty part', parts: ['d41d8cd98f00b204e9800998ecf8427e'], etag: '59adb24ef3cdbe0297f05b395827453f-1' },
    {
      name: 'quoted, uppercase part ETags',
      parts: [
        '"F814893777BCC2295FFF05F00E508DA6"',
        '"a020557699724b0bb4fc5a1949e8ee1c"',
        'W/"7d793037a0760186574b0282f2f435e7"',
      ],
      etag: '98c2f083991e2970a99c9c318427ed50-3',
    },
  ])('computes $name', ({ parts, etag }) => {
    expect(multipartEtag(parts, md5Hex)).toBe(etag);
  });

  it('matches node:crypto for many parts', () => {
    for (const count of [1, 2, 7, 100]) {
      const parts = Array.from({ length: count }, (_, i) => bytesOf(1 + i * 37, i));
      const digests = parts.map((part) => createHash('md5').update(part).digest());
      const expected = `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${count}`;
      expect(multipartEtag(parts.map(md5Hex), md5Hex)).toBe(expected);
    }
  });

  it('agrees with the parts of a real text', () => {
    const parts = ['hello ', 'multipart ', 'world'].map((text) => md5Hex(encode(text)));
    expect(multipartEtag(parts, md5Hex)).toBe('98c2f083991e2970a99c9c318427ed50-3');
  });

  it.each([
    { name: 'no parts', parts: [] },
    {
      name: 'a SHA-256 instead of an MD5',
      parts: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    },
    { name: 'a short digest', parts: ['d41d8cd98f00b204'] },
    { name: 'a multipart ETag as a part', parts: ['98c2f083991e2970a99c9c318427ed50-3'] },
    { name: 'non-hex characters', parts: ['z41d8cd98f00b204e9800998ecf8427e'] },
  ])('refuses $name', ({ parts }) => {
    expect(() => multipartEtag(parts, md5Hex)).toThrowError(expect.objectContaining({ code: 'invalid-field' }));
  });
});

describe('hex and base64', () => {
  it.each([
    { hex: '', base64: '' },
    { hex: '66', base64: 'Zg==' },
    { hex: '666f', base64: 'Zm8=' },
    { hex: '666f6f', base64: 'Zm9v' },
    { hex: '666f6f62', base64: 'Zm9vYg==' },
    { hex: 'fbff', base64: '+/8=' },
    { hex: 'd41d8cd98f00b204e9800998ecf8427e', base64: '1B2M2Y8AsgTpgAmY7PhCfg==' },
    {
      hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      base64: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    },
  ])('converts $hex ⇄ $base64', ({ hex, base64 }) => {
    expect(hexToBase64(hex)).toBe(base64);
    expect(base64ToHex(base64)).toBe(hex);
    expect(hexToBase64(hex.toUpperCase())).toBe(base64);
    expect(bytesToHex(hexToBytes(hex))).toBe(hex);
  });

  it('encodes every length the way Node does', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = bytesOf(length, length);
      expect(hexToBase64(bytes.toString('hex'))).toBe(bytes.toString('base64'));
      expect(base64ToHex(bytes.toString('base64'))).toBe(bytes.toString('hex'));
      expect(hexToBytes(bytes.toString('hex'))).toEqual(new Uint8Array(bytes));
    }
  });

  it('accepts base64 without padding', () => {
    expect(base64ToHex('1B2M2Y8AsgTpgAmY7PhCfg')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it.each(['A', 'A=', 'AA=', 'AAAA=', '=', 'AA==AA', 'Zm9v Yg==', '-_8=', 'Zm9v!'])('refuses base64 %j', (base64) => {
    expect(() => base64ToHex(base64)).toThrow(TesseraError);
  });

  it.each(['f', 'xyz0', '0x00', '00 11'])('refuses hex %j', (hex) => {
    expect(() => hexToBytes(hex)).toThrowError(expect.objectContaining({ code: 'invalid-field' }));
    expect(() => hexToBase64(hex)).toThrow(TesseraError);
  });
});

describe('normalizeEtag', () => {
  it.each([
    { etag: '"9b2cf535f27731c974343645a3985328"', normalized: '9b2cf535f27731c974343645a3985328' },
    { etag: '9B2CF535F27731C974343645A3985328', normalized: '9b2cf535f27731c974343645a3985328' },
    { etag: 'W/"9b2cf535f27731c974343645a3985328-3"', normalized: '9b2cf535f27731c974343645a3985328-3' },
    { etag: 'w/"ABC"', normalized: 'abc' },
    { etag: '  "abc"  ', normalized: 'abc' },
    { etag: '"unbalanced', normalized: '"unbalanced' },
    { etag: '', normalized: '' },
  ])('normalizes $etag', ({ etag, normalized }) => {
    expect(normalizeEtag(etag)).toBe(normalized);
  });
});
