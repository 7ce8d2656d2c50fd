import { createHash } from 'node:crypto';
import { TesseraError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  checkFileName,
  completeUploadSchema,
  createUploadSchema,
  isDigest,
  normalizeContentType,
  parseBody,
  signPartsSchema,
  typeAllowed,
} from './validate.js';

function thrown(action: () => unknown): TesseraError {
  try {
    action();
  } catch (error) {
    if (error instanceof TesseraError) return error;
    throw error;
  }
  throw new Error('expected a TesseraError, nothing was thrown');
}

const digest = (algorithm: 'md5' | 'sha256', text: string) => createHash(algorithm).update(text).digest('base64');

describe('checkFileName', () => {
  it.each([
    'talk.webm',
    'Résumé – final (2).mp4',
    '日本語.mov',
    'my holiday video.final.MP4',
    '.hidden',
    'a..b',
    '...',
    ' leading and trailing spaces ',
    'no-extension',
    '🎬 clip.mp4',
    'x',
    'a'.repeat(255),
    'é'.repeat(127),
    '日'.repeat(85),
  ])('accepts %j', (fileName) => {
    expect(() => checkFileName(fileName)).not.toThrow();
  });

  it.each([
    { name: 'empty', fileName: '' },
    { name: 'blank', fileName: '   ' },
    { name: 'only a tab', fileName: '\t' },
    { name: 'a dot', fileName: '.' },
    { name: 'two dots', fileName: '..' },
    { name: 'a relative path', fileName: 'a/b.mp4' },
    { name: 'a parent path', fileName: '../../etc/passwd' },
    { name: 'an absolute path', fileName: '/etc/passwd' },
    { name: 'a trailing slash', fileName: 'folder/' },
    { name: 'a Windows path', fileName: 'C:\\Users\\ada\\talk.mp4' },
    { name: 'a backslash', fileName: 'a\\b' },
    { name: 'NUL', fileName: 'talk\u0000.mp4' },
    { name: 'CR', fileName: 'talk\r.mp4' },
    { name: 'LF', fileName: 'talk\n.mp4' },
    { name: 'CRLF header splitting', fileName: 'talk.mp4\r\nX-Evil: 1' },
    { name: 'TAB', fileName: 'talk\t.mp4' },
    { name: 'ESC', fileName: 'talk\u001b[31m.mp4' },
    { name: 'DEL', fileName: 'talk\u007f.mp4' },
    { name: 'the C1 control U+0085 (NEL)', fileName: 'talk\u0085.mp4' },
    { name: 'the C1 control U+009F', fileName: 'talk\u009f.mp4' },
    { name: 'a right-to-left override U+202E', fileName: 'invoice\u202egpj.exe' },
    { name: 'a left-to-right embedding U+202A', fileName: 'a\u202ab.mp4' },
    { name: 'a left-to-right isolate U+2066', fileName: 'a\u2066b.mp4' },
    { name: 'a pop directional isolate U+2069', fileName: 'a\u2069b.mp4' },
    { name: '256 ASCII bytes', fileName: 'a'.repeat(256) },
    { name: '256 UTF-8 bytes of two-byte characters', fileName: 'é'.repeat(128) },
    { name: '258 UTF-8 bytes of three-byte characters', fileName: '日'.repeat(86) },
  ])('rejects $name with invalid-file-name on fileName', ({ fileName }) => {
    const error = thrown(() => checkFileName(fileName));
    expect(error.code).toBe('invalid-file-name');
    expect(error.field).toBe('fileName');
  });
});

describe('normalizeContentType', () => {
  it.each([
    { input: '', essence: 'application/octet-stream' },
    { input: 'video/mp4', essence: 'video/mp4' },
    { input: 'Video/MP4; codecs=avc1', essence: 'video/mp4' },
    { input: 'video/webm;codecs="vp9,opus"', essence: 'video/webm' },
    { input: 'text/plain ; charset=UTF-8', essence: 'text/plain' },
    { input: 'image/svg+xml', essence: 'image/svg+xml' },
    {
      input: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      essence: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    },
    { input: 'APPLICATION/OCTET-STREAM', essence: 'application/octet-stream' },
  ])('normalises $input to $essence', ({ input, essence }) => {
    expect(normalizeContentType(input)).toBe(essence);
  });

  it.each([
    { name: 'no subtype', input: 'video' },
    { name: 'an empty subtype', input: 'video/' },
    { name: 'an empty type', input: '/mp4' },
    { name: 'two slashes', input: 'video/mp4/x' },
    { name: 'a space instead of a slash', input: 'video mp4' },
    { name: 'leading whitespace', input: ' video/mp4' },
    { name: 'a blank value', input: '   ' },
    { name: 'a wildcard subtype', input: 'video/*' },
    { name: 'a full wildcard', input: '*/*' },
    { name: 'a list of types', input: 'text/html, video/mp4' },
    { name: 'CRLF header splitting', input: 'video/mp4\r\nX-Evil: 1' },
    { name: 'LF in the parameters', input: 'video/mp4; a=\nb' },
    { name: 'NUL in the parameters', input: 'video/mp4; a=\u0000' },
    { name: 'DEL in the parameters', input: 'video/mp4; a=\u007f' },
    { name: 'a tab before the parameters', input: 'video/mp4\t; a=b' },
    { name: 'non-ASCII in the type', input: 'vidéo/mp4' },
  ])('rejects $name with invalid-field on contentType', ({ input }) => {
    const error = thrown(() => normalizeContentType(input));
    expect(error.code).toBe('invalid-field');
    expect(error.field).toBe('contentType');
  });
});

describe('typeAllowed', () => {
  it.each([
    { contentType: 'video/mp4', allowed: ['video/mp4'], expected: true },
    { contentType: 'video/webm', allowed: ['video/mp4'], expected: false },
    { contentType: 'video/mp4', allowed: ['video/mp4x'], expected: false },
    { contentType: 'video/mp4', allowed: ['VIDEO/MP4'], expected: true },
    { contentType: 'video/mp4', allowed: ['video/*'], expected: true },
    { contentType: 'video/webm', allowed: ['Video/*'], expected: true },
    { contentType: 'audio/mp4', allowed: ['video/*'], expected: false },
    { contentType: 'videos/mp4', allowed: ['video/*'], expected: false },
    { contentType: 'vide/mp4', allowed: ['video/*'], expected: false },
    { contentType: 'application/octet-stream', allowed: ['*/*'], expected: true },
    { contentType: 'image/png', allowed: ['video/*', 'image/png'], expected: true },
    { contentType: 'image/jpeg', allowed: ['video/*', 'image/png'], expected: false },
    { contentType: 'video/mp4', allowed: [], expected: false },
    { contentType: 'video/mp4', allowed: ['video'], expected: false },
    { contentType: 'video/mp4', allowed: ['*'], expected: false },
    { contentType: 'video/mp4', allowed: ['*/mp4'], expected: false },
  ])('$contentType against $allowed is $expected', ({ contentType, allowed, expected }) => {
    expect(typeAllowed(contentType, allowed)).toBe(expected);
  });
});

describe('isDigest', () => {
  const md5 = digest('md5', 'hello');
  const sha256 = digest('sha256', 'hello');

  it.each([
    { name: 'a real MD5', checksum: md5, algorithm: 'md5', expected: true },
    { name: 'a real SHA-256', checksum: sha256, algorithm: 'sha256', expected: true },
    { name: 'an MD5 where SHA-256 is expected', checksum: md5, algorithm: 'sha256', expected: false },
    { name: 'a SHA-256 where MD5 is expected', checksum: sha256, algorithm: 'md5', expected: false },
    {
      name: 'an MD5 in hex',
      checksum: createHash('md5').update('hello').digest('hex'),
      algorithm: 'md5',
      expected: false,
    },
    {
      name: 'a SHA-256 in hex',
      checksum: createHash('sha256').update('hello').digest('hex'),
      algorithm: 'sha256',
      expected: false,
    },
    { name: 'an MD5 without padding', checksum: md5.replace(/=+$/, ''), algorithm: 'md5', expected: false },
    { name: 'an MD5 with one padding character', checksum: md5.slice(0, -1), algorithm: 'md5', expected: false },
    { name: 'a SHA-256 without padding', checksum: sha256.slice(0, -1), algorithm: 'sha256', expected: false },
    { name: 'a base64url MD5', checksum: '-_'.repeat(11).concat('=='), algorithm: 'md5', expected: false },
    { name: 'an MD5 followed by a newline', checksum: `${md5}\n`, algorithm: 'md5', expected: false },
    { name: 'an MD5 with a leading space', checksum: ` ${md5}`, algorithm: 'md5', expected: false },
    { name: 'an empty string', checksum: '', algorithm: 'md5', expected: false },
  ] as const)('$name is $expected for $algorithm', ({ checksum, algorithm, expected }) => {
    expect(isDigest(checksum, algorithm)).toBe(expected);
  });
});

describe('parseBody', () => {
  const part = { partNumber: 1, size: 10, checksum: digest('md5', 'x') };

  it('returns the parsed value and drops unknown keys', () => {
    expect(parseBody(signPartsSchema, { parts: [{ ...part, extra: true }], admin: true })).toStrictEqual({
      parts: [part],
    });
  });

  it.each([
    {
      name: 'a negative part size',
      schema: signPartsSchema,
      body: { parts: [{ ...part, size: -1 }] },
      field: 'parts.0.size',
    },
    {
      name: 'a fractional part number',
      schema: signPartsSchema,
      body: { parts: [part, { ...part, partNumber: 1.5 }] },
      field: 'parts.1.partNumber',
    },
    {
      name: 'a missing checksum',
      schema: signPartsSchema,
      body: { parts: [{ partNumber: 1, size: 1 }] },
      field: 'parts.0.checksum',
    },
    { name: 'an empty part list', schema: signPartsSchema, body: { parts: [] }, field: 'parts' },
    { name: 'parts not an array', schema: signPartsSchema, body: { parts: 'all' }, field: 'parts' },
    { name: 'no parts', schema: signPartsSchema, body: {}, field: 'parts' },
    {
      name: 'an empty etag',
      schema: completeUploadSchema,
      body: {
        parts: [
          { partNumber: 1, etag: 'a' },
          { partNumber: 2, etag: '' },
        ],
      },
      field: 'parts.1.etag',
    },
    {
      name: 'a malformed sha256',
      schema: completeUploadSchema,
      body: { parts: [{ partNumber: 1, etag: 'a' }], sha256: 'abc' },
      field: 'sha256',
    },
    {
      name: 'a numeric file name',
      schema: createUploadSchema,
      body: { fileName: 5, contentType: 'video/mp4' },
      field: 'fileName',
    },
    {
      name: 'a fractional size',
      schema: createUploadSchema,
      body: { fileName: 'a', contentType: 'video/mp4', size: 1.5 },
      field: 'size',
    },
    {
      name: 'a negative size',
      schema: createUploadSchema,
      body: { fileName: 'a', contentType: 'video/mp4', size: -1 },
      field: 'size',
    },
    {
      name: 'a size as a string',
      schema: createUploadSchema,
      body: { fileName: 'a', contentType: 'video/mp4', size: '10' },
      field: 'size',
    },
  ])('names the field of $name: $field', ({ schema, body, field }) => {
    const error = thrown(() => parseBody(schema as typeof signPartsSchema, body));
    expect(error.code).toBe('invalid-field');
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it.each([
    { name: 'null', body: null },
    { name: 'an array', body: [] },
    { name: 'a string', body: 'parts' },
    { name: 'a number', body: 1 },
  ])('answers a body that is $name without a field', ({ body }) => {
    const error = thrown(() => parseBody(signPartsSchema, body));
    expect(error.code).toBe('invalid-field');
    expect(error.field).toBeUndefined();
    expect(error.message).toBe('the request body must be a JSON object');
  });
});
