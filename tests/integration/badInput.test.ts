/**
 * Malformed and hostile requests across every operation, through real HTTP into the real handler and
 * store. Each must be answered with the documented status, `code` and `field`, and leave the bucket
 * exactly as it was: no new multipart upload, no new object, no upload completed or aborted.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateUploadResponse } from '@tessera/core';
import { UploadTokens } from '@tessera/server-adapter';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import { bucketState as pagedBucketState } from '../support/bucketState.js';
import {
  type CallOptions,
  call,
  completeUpload,
  createUpload,
  md5Base64,
  putParts,
  testBytes,
} from '../support/protocolClient.js';
import { startUploadServer, TEST_SECRET, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const store = inject('store');

interface Fixtures {
  /** alice, 10 MiB (8 MiB + 2 MiB), part 1 stored */
  open: CreateUploadResponse;
  /** alice, another open upload */
  other: CreateUploadResponse;
  /** alice, size unknown (growing source) */
  growing: CreateUploadResponse;
  /** alice, declared a whole-file sha256 */
  withSha: CreateUploadResponse;
  /** alice, completed */
  completed: CreateUploadResponse;
  /** alice, aborted */
  aborted: CreateUploadResponse;
  /** alice, size unknown, on the `bounded` server (maxFileSize 64 MiB, minFileSize 1024: 8 parts of 8 MiB) */
  boundedGrowing: CreateUploadResponse;
  etag1: string;
  tampered: string;
  expired: string;
  foreignSecret: string;
}

type Target = 'default' | 'strict' | 'bounded' | 'readmeKey' | 'splittingKey';
interface Case {
  name: string;
  method?: string;
  /** Path below the handler, or a function of the fixtures. */
  path: string | ((f: Fixtures) => string);
  body?: unknown | ((f: Fixtures) => unknown);
  /** Send this as the body instead of JSON. */
  raw?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  user?: string | null;
  token?: (f: Fixtures) => string;
  target?: Target;
  status: number;
  code: string;
  field?: string;
}

const valid = { fileName: 'clip.mp4', contentType: 'video/mp4', size: 1000 };
const create = (override: Record<string, unknown>): Partial<Case> => ({
  method: 'POST',
  path: '/v1/uploads',
  body: { ...valid, ...override },
});
const without = (field: keyof typeof valid) => {
  const { [field]: _dropped, ...rest } = valid;
  return rest;
};
const id = (upload: CreateUploadResponse) => `/v1/uploads/${encodeURIComponent(upload.uploadId)}`;
const sign = (body: unknown, token: (f: Fixtures) => string = (f) => f.open.token): Partial<Case> => ({
  method: 'POST',
  path: (f) => `${id(f.open)}/sign`,
  body,
  token,
});
const signOne = (part: Record<string, unknown>) =>
  sign({ parts: [{ partNumber: 1, size: 8 * MiB, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==', ...part }] });
const signGrowing = (part: Record<string, unknown>): Partial<Case> => ({
  method: 'POST',
  path: (f) => `${id(f.growing)}/sign`,
  token: (f) => f.growing.token,
  body: { parts: [{ partNumber: 1, size: 1000, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==', ...part }] },
});
const complete = (body: unknown | ((f: Fixtures) => unknown)): Partial<Case> => ({
  method: 'POST',
  path: (f) => `${id(f.open)}/complete`,
  token: (f) => f.open.token,
  body,
});
const list = (path: (f: Fixtures) => string, token: (f: Fixtures) => string): Partial<Case> => ({
  method: 'GET',
  path: (f) => `${path(f)}/parts`,
  token,
});
const abort = (token: (f: Fixtures) => string, path: (f: Fixtures) => string = (f) => id(f.open)): Partial<Case> => ({
  method: 'DELETE',
  path,
  token,
});
const fakeEtag = 'd41d8cd98f00b204e9800998ecf8427e';
const twoParts = (f: Fixtures, second = fakeEtag) => [
  { partNumber: 1, etag: f.etag1 },
  { partNumber: 2, etag: second },
];

const rows: Array<Partial<Case> & Pick<Case, 'name' | 'status' | 'code'>> = [
  // ── create: identity, transport, body shape
  { name: 'create without a user', ...create({}), user: null, status: 401, code: 'unauthenticated' },
  {
    name: 'create as text/plain',
    ...create({}),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported-media-type',
  },
  {
    name: 'create as a form post (CSRF)',
    ...create({}),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported-media-type',
  },
  {
    name: 'create with JSON-ish content type',
    ...create({}),
    headers: { 'content-type': 'application/jsonx' },
    status: 415,
    code: 'unsupported-media-type',
  },
  {
    name: 'create with truncated JSON',
    method: 'POST',
    path: '/v1/uploads',
    raw: '{"fileName":',
    status: 400,
    code: 'invalid-json',
  },
  {
    name: 'create with an empty body',
    method: 'POST',
    path: '/v1/uploads',
    raw: '',
    status: 400,
    code: 'invalid-json',
  },
  {
    name: 'create with invalid UTF-8',
    method: 'POST',
    path: '/v1/uploads',
    raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
    code: 'invalid-json',
  },
  {
    name: 'create with JSON null',
    method: 'POST',
    path: '/v1/uploads',
    raw: 'null',
    status: 400,
    code: 'invalid-field',
  },
  {
    name: 'create with a JSON array',
    method: 'POST',
    path: '/v1/uploads',
    raw: '[]',
    status: 400,
    code: 'invalid-field',
  },
  {
    name: 'create with a JSON string',
    method: 'POST',
    path: '/v1/uploads',
    raw: '"x"',
    status: 400,
    code: 'invalid-field',
  },
  {
    name: 'create with a JSON number',
    method: 'POST',
    path: '/v1/uploads',
    raw: '42',
    status: 400,
    code: 'invalid-field',
  },
  {
    name: 'create with a 100 KiB body',
    ...create({ padding: 'x'.repeat(100 * 1024) }),
    status: 413,
    code: 'body-too-large',
  },
  // ── create: fileName
  {
    name: 'fileName missing',
    method: 'POST',
    path: '/v1/uploads',
    body: without('fileName'),
    status: 400,
    code: 'invalid-field',
    field: 'fileName',
  },
  { name: 'fileName a number', ...create({ fileName: 7 }), status: 400, code: 'invalid-field', field: 'fileName' },
  { name: 'fileName null', ...create({ fileName: null }), status: 400, code: 'invalid-field', field: 'fileName' },
  {
    name: 'fileName an object',
    ...create({ fileName: { toString: 'x' } }),
    status: 400,
    code: 'invalid-field',
    field: 'fileName',
  },
  { name: 'fileName an array', ...create({ fileName: ['a'] }), status: 400, code: 'invalid-field', field: 'fileName' },
  { name: 'fileName empty', ...create({ fileName: '' }), status: 422, code: 'invalid-file-name', field: 'fileName' },
  { name: 'fileName blank', ...create({ fileName: '   ' }), status: 422, code: 'invalid-file-name', field: 'fileName' },
  {
    name: 'fileName traversal',
    ...create({ fileName: '../../etc/passwd' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  { name: 'fileName ..', ...create({ fileName: '..' }), status: 422, code: 'invalid-file-name', field: 'fileName' },
  { name: 'fileName .', ...create({ fileName: '.' }), status: 422, code: 'invalid-file-name', field: 'fileName' },
  {
    name: 'fileName with a slash',
    ...create({ fileName: 'a/b.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName absolute',
    ...create({ fileName: '/abs.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with backslashes',
    ...create({ fileName: 'C:\\Users\\x.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName encoded traversal stays literal but has a slash',
    ...create({ fileName: '..%2f../x' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with NUL',
    ...create({ fileName: 'a\u0000.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with LF',
    ...create({ fileName: 'a\n.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with CRLF (header injection)',
    ...create({ fileName: 'a\r\nX-Evil: 1' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with TAB',
    ...create({ fileName: 'a\tb.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with DEL',
    ...create({ fileName: 'a\u007f.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with a C1 control',
    ...create({ fileName: 'a\u0085.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with a bidi override',
    ...create({ fileName: 'invoice\u202efdp.exe' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName with a bidi isolate',
    ...create({ fileName: 'a\u2066b.mp4' }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  // Characters no store listing can carry, and the ones that disguise a name (issue 14: 3, 10, 11).
  ...(
    [
      ['U+FFFF', 'a\uffff.mp4'],
      ['U+FFFE', 'a\ufffe.mp4'],
      ['U+FDD0', 'a\ufdd0.mp4'],
      ['a supplementary noncharacter U+10FFFF', 'a\u{10ffff}.mp4'],
      ['a lone high surrogate', 'a\ud800.mp4'],
      ['a lone low surrogate', 'a\udc00.mp4'],
      ['a left-to-right mark U+200E', 'a\u200e.mp4'],
      ['a right-to-left mark U+200F', 'a\u200f.mp4'],
      ['an Arabic letter mark U+061C', 'a\u061c.mp4'],
      ['a line separator U+2028', 'a\u2028.mp4'],
      ['a paragraph separator U+2029', 'a\u2029.mp4'],
    ] as const
  ).flatMap(([what, fileName]) => [
    { name: `fileName with ${what}`, ...create({ fileName }), status: 422, code: 'invalid-file-name', field: 'fileName' },
    {
      name: `fileName with ${what}, through the README's objectKey hook`,
      ...create({ fileName }),
      target: 'readmeKey' as const,
      status: 422,
      code: 'invalid-file-name',
      field: 'fileName',
    },
  ]),
  {
    name: 'a valid name the objectKey hook cuts into a lone surrogate is refused before any store call',
    ...create({ fileName: `${'a'.repeat(9)}😀.mp4` }),
    target: 'splittingKey',
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName of 256 bytes',
    ...create({ fileName: 'a'.repeat(256) }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName of 300 UTF-8 bytes',
    ...create({ fileName: '€'.repeat(100) }),
    status: 422,
    code: 'invalid-file-name',
    field: 'fileName',
  },
  {
    name: 'fileName of 5000 characters',
    ...create({ fileName: 'a'.repeat(5000) }),
    status: 400,
    code: 'invalid-field',
    field: 'fileName',
  },
  // ── create: contentType
  {
    name: 'contentType missing',
    method: 'POST',
    path: '/v1/uploads',
    body: without('contentType'),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  {
    name: 'contentType a number',
    ...create({ contentType: 1 }),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  {
    name: 'contentType without subtype',
    ...create({ contentType: 'video' }),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  {
    name: 'contentType without type',
    ...create({ contentType: '/mp4' }),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  {
    name: 'contentType with CRLF',
    ...create({ contentType: 'video/mp4\r\nX-Evil: 1' }),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  {
    name: 'contentType with spaces',
    ...create({ contentType: 'video / mp4' }),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  {
    name: 'contentType of 300 characters',
    ...create({ contentType: `video/${'a'.repeat(300)}` }),
    status: 400,
    code: 'invalid-field',
    field: 'contentType',
  },
  // ── create: size and sha256
  { name: 'size negative', ...create({ size: -1 }), status: 400, code: 'invalid-field', field: 'size' },
  { name: 'size fractional', ...create({ size: 1.5 }), status: 400, code: 'invalid-field', field: 'size' },
  { name: 'size a string', ...create({ size: '1000' }), status: 400, code: 'invalid-field', field: 'size' },
  { name: 'size null', ...create({ size: null }), status: 400, code: 'invalid-field', field: 'size' },
  { name: 'size a boolean', ...create({ size: true }), status: 400, code: 'invalid-field', field: 'size' },
  { name: 'size 1e300', ...create({ size: 1e300 }), status: 400, code: 'invalid-field', field: 'size' },
  {
    name: 'size beyond safe integers',
    ...create({ size: 2 ** 53 + 2 }),
    status: 400,
    code: 'invalid-field',
    field: 'size',
  },
  { name: 'size zero', ...create({ size: 0 }), status: 422, code: 'file-too-small', field: 'size' },
  { name: 'size over the policy', ...create({ size: 51 * GiB }), status: 413, code: 'file-too-large', field: 'size' },
  { name: 'size of 6 TiB', ...create({ size: 6 * 1024 * GiB }), status: 413, code: 'file-too-large', field: 'size' },
  { name: 'sha256 too short', ...create({ sha256: 'abc' }), status: 400, code: 'invalid-field', field: 'sha256' },
  { name: 'sha256 in hex', ...create({ sha256: 'a'.repeat(64) }), status: 400, code: 'invalid-field', field: 'sha256' },
  { name: 'sha256 a number', ...create({ sha256: 5 }), status: 400, code: 'invalid-field', field: 'sha256' },
  // ── create against a strict policy (video only, size required, ≤ 100 MiB)
  {
    name: 'type outside the policy',
    ...create({ contentType: 'application/x-msdownload' }),
    target: 'strict',
    status: 415,
    code: 'type-not-allowed',
    field: 'contentType',
  },
  {
    name: 'html outside the policy',
    ...create({ contentType: 'text/html; charset=utf-8' }),
    target: 'strict',
    status: 415,
    code: 'type-not-allowed',
    field: 'contentType',
  },
  {
    name: 'unknown type outside the policy',
    ...create({ contentType: '' }),
    target: 'strict',
    status: 415,
    code: 'type-not-allowed',
    field: 'contentType',
  },
  {
    name: 'type family spoof',
    ...create({ contentType: 'videos/mp4' }),
    target: 'strict',
    status: 415,
    code: 'type-not-allowed',
    field: 'contentType',
  },
  {
    name: 'size unknown where the policy needs it',
    method: 'POST',
    path: '/v1/uploads',
    body: without('size'),
    target: 'strict',
    status: 422,
    code: 'unknown-size-not-allowed',
    field: 'size',
  },
  {
    name: 'size over a strict policy',
    ...create({ size: 101 * MiB }),
    target: 'strict',
    status: 413,
    code: 'file-too-large',
    field: 'size',
  },
  // ── routing
  { name: 'GET on create', method: 'GET', path: '/v1/uploads', status: 405, code: 'method-not-allowed' },
  { name: 'PUT on create', method: 'PUT', path: '/v1/uploads', body: valid, status: 405, code: 'method-not-allowed' },
  { name: 'POST on abort', method: 'POST', path: (f) => id(f.open), body: {}, status: 405, code: 'method-not-allowed' },
  { name: 'GET on sign', method: 'GET', path: (f) => `${id(f.open)}/sign`, status: 405, code: 'method-not-allowed' },
  { name: 'unknown version', method: 'POST', path: '/v2/uploads', body: valid, status: 404, code: 'not-found' },
  {
    name: 'unknown operation',
    method: 'POST',
    path: (f) => `${id(f.open)}/explode`,
    body: {},
    status: 404,
    code: 'not-found',
  },
  {
    name: 'path traversal in the route',
    method: 'GET',
    path: '/v1/uploads/../../etc/passwd',
    status: 404,
    code: 'not-found',
  },
  {
    name: 'malformed uploadId encoding',
    method: 'GET',
    path: '/v1/uploads/%E0%A4%A/parts',
    token: (f) => f.open.token,
    status: 400,
    code: 'invalid-field',
    field: 'uploadId',
  },
  // ── sign: tokens and identity
  { name: 'sign without a user', ...signOne({}), user: null, status: 401, code: 'unauthenticated' },
  {
    name: 'sign without a token',
    ...signOne({}),
    token: () => '',
    status: 401,
    code: 'token-missing',
    field: 'x-tessera-upload-token',
  },
  { name: 'sign with a garbage token', ...signOne({}), token: () => 'garbage', status: 403, code: 'token-invalid' },
  { name: 'sign with a three-segment token', ...signOne({}), token: () => 'a.b.c', status: 403, code: 'token-invalid' },
  {
    name: 'sign with a non-base64 signature',
    ...signOne({}),
    token: (f) => `${f.open.token.split('.')[0]}.!!!`,
    status: 403,
    code: 'token-invalid',
  },
  { name: 'sign with a tampered token', ...signOne({}), token: (f) => f.tampered, status: 403, code: 'token-invalid' },
  {
    name: 'sign with a token of another secret',
    ...signOne({}),
    token: (f) => f.foreignSecret,
    status: 403,
    code: 'token-invalid',
  },
  { name: 'sign with an expired token', ...signOne({}), token: (f) => f.expired, status: 403, code: 'token-expired' },
  { name: 'sign as another user', ...signOne({}), user: 'mallory', status: 403, code: 'forbidden' },
  {
    name: 'sign with the token of another upload',
    ...signOne({}),
    token: (f) => f.other.token,
    status: 403,
    code: 'token-mismatch',
    field: 'uploadId',
  },
  // ── sign: body
  {
    name: 'sign as text/plain',
    ...signOne({}),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported-media-type',
  },
  { name: 'sign with bad JSON', ...sign(undefined), raw: '{"parts":[', status: 400, code: 'invalid-json' },
  { name: 'sign with no parts field', ...sign({}), status: 400, code: 'invalid-field', field: 'parts' },
  {
    name: 'sign with parts not a list',
    ...sign({ parts: { 1: {} } }),
    status: 400,
    code: 'invalid-field',
    field: 'parts',
  },
  { name: 'sign with no parts', ...sign({ parts: [] }), status: 400, code: 'invalid-field', field: 'parts' },
  {
    name: 'sign with 101 parts',
    ...sign({ parts: Array.from({ length: 101 }, (_, i) => ({ partNumber: i + 1, size: 1, checksum: 'x' })) }),
    status: 422,
    code: 'batch-too-large',
    field: 'parts',
  },
  { name: 'sign with a null part', ...sign({ parts: [null] }), status: 400, code: 'invalid-field', field: 'parts.0' },
  {
    name: 'sign part 0',
    ...signOne({ partNumber: 0 }),
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign part -1',
    ...signOne({ partNumber: -1 }),
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign a part past the last',
    ...signOne({ partNumber: 3 }),
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign part 10001',
    ...signOne({ partNumber: 10_001 }),
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign a fractional part',
    ...signOne({ partNumber: 1.5 }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign a part number as a string',
    ...signOne({ partNumber: '1' }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign a part twice',
    ...sign({
      parts: [1, 1].map((partNumber) => ({ partNumber, size: 8 * MiB, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==' })),
    }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.1.partNumber',
  },
  {
    name: 'sign a short non-last part',
    ...signOne({ size: 8 * MiB - 1 }),
    status: 422,
    code: 'part-size-mismatch',
    field: 'parts.0.size',
  },
  {
    name: 'sign an oversized part',
    ...signOne({ size: 5 * GiB }),
    status: 422,
    code: 'part-size-mismatch',
    field: 'parts.0.size',
  },
  {
    name: 'sign a wrong last part size',
    ...signOne({ partNumber: 2, size: 8 * MiB }),
    status: 422,
    code: 'part-size-mismatch',
    field: 'parts.0.size',
  },
  { name: 'sign a negative size', ...signOne({ size: -5 }), status: 400, code: 'invalid-field', field: 'parts.0.size' },
  {
    name: 'sign without a size',
    ...sign({ parts: [{ partNumber: 1, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==' }] }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.size',
  },
  {
    name: 'sign without a checksum',
    ...sign({ parts: [{ partNumber: 1, size: 8 * MiB }] }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.checksum',
  },
  {
    name: 'sign with a malformed checksum',
    ...signOne({ checksum: 'not-base64' }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.checksum',
  },
  {
    name: 'sign with a hex checksum',
    ...signOne({ checksum: 'd41d8cd98f00b204e9800998ecf8427e' }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.checksum',
  },
  {
    name: 'sign with a SHA-256 for an MD5 upload',
    ...signOne({ checksum: `${'A'.repeat(43)}=` }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.checksum',
  },
  {
    name: 'sign with a 100-character checksum',
    ...signOne({ checksum: 'A'.repeat(100) }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.checksum',
  },
  {
    name: 'sign with a 70 KiB body',
    ...sign({ parts: [], padding: 'x'.repeat(70 * 1024) }),
    status: 413,
    code: 'body-too-large',
  },
  {
    name: 'sign a growing part larger than a part',
    ...signGrowing({ size: 8 * MiB + 1 }),
    status: 422,
    code: 'part-size-mismatch',
    field: 'parts.0.size',
  },
  {
    name: 'sign an empty growing part',
    ...signGrowing({ size: 0 }),
    status: 422,
    code: 'part-size-mismatch',
    field: 'parts.0.size',
  },
  {
    name: 'sign growing part 10001',
    ...signGrowing({ partNumber: 10_001 }),
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  // ── list
  {
    name: 'list without a user',
    ...list(
      (f) => id(f.open),
      (f) => f.open.token,
    ),
    user: null,
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'list without a token',
    ...list(
      (f) => id(f.open),
      () => '',
    ),
    status: 401,
    code: 'token-missing',
    field: 'x-tessera-upload-token',
  },
  {
    name: 'list as another user',
    ...list(
      (f) => id(f.open),
      (f) => f.open.token,
    ),
    user: 'mallory',
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'list with a tampered token',
    ...list(
      (f) => id(f.open),
      (f) => f.tampered,
    ),
    status: 403,
    code: 'token-invalid',
  },
  {
    name: 'list with the token of another upload',
    ...list(
      (f) => id(f.open),
      (f) => f.other.token,
    ),
    status: 403,
    code: 'token-mismatch',
    field: 'uploadId',
  },
  {
    name: 'list an aborted upload (replayed token)',
    ...list(
      (f) => id(f.aborted),
      (f) => f.aborted.token,
    ),
    status: 404,
    code: 'upload-not-found',
  },
  {
    name: 'list a completed upload (replayed token)',
    ...list(
      (f) => id(f.completed),
      (f) => f.completed.token,
    ),
    status: 409,
    code: 'upload-completed',
  },
  // A growing upload obeys the policy it started with (issue 14: 8, 9).
  {
    name: 'sign a growing upload past its maximum size (part 9 of 8 MiB under 64 MiB)',
    method: 'POST',
    path: (f) => `${id(f.boundedGrowing)}/sign`,
    token: (f) => f.boundedGrowing.token,
    target: 'bounded',
    body: { parts: [{ partNumber: 9, size: 1000, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==' }] },
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  {
    name: 'sign part 10,000 of a growing upload',
    method: 'POST',
    path: (f) => `${id(f.boundedGrowing)}/sign`,
    token: (f) => f.boundedGrowing.token,
    target: 'bounded',
    body: { parts: [{ partNumber: 10_000, size: 1000, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==' }] },
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.0.partNumber',
  },
  {
    name: 'complete a growing upload larger than its maximum',
    method: 'POST',
    path: (f) => `${id(f.boundedGrowing)}/complete`,
    token: (f) => f.boundedGrowing.token,
    target: 'bounded',
    body: { parts: [{ partNumber: 1, etag: fakeEtag }], size: 64 * MiB + 1 },
    status: 413,
    code: 'file-too-large',
    field: 'size',
  },
  {
    name: 'complete a growing upload smaller than its minimum (1 byte under minFileSize 1024)',
    method: 'POST',
    path: (f) => `${id(f.boundedGrowing)}/complete`,
    token: (f) => f.boundedGrowing.token,
    target: 'bounded',
    body: { parts: [{ partNumber: 1, etag: fakeEtag }], size: 1 },
    status: 422,
    code: 'file-too-small',
    field: 'size',
  },
  {
    name: 'complete a growing upload with more parts than its maximum size allows',
    method: 'POST',
    path: (f) => `${id(f.boundedGrowing)}/complete`,
    token: (f) => f.boundedGrowing.token,
    target: 'bounded',
    body: { parts: Array.from({ length: 9 }, (_, index) => ({ partNumber: index + 1, etag: fakeEtag })), size: 1024 },
    status: 422,
    code: 'too-many-parts',
    field: 'parts',
  },
  {
    name: 'complete with 350,000 empty parts (1 MiB): refused by count before parsing',
    ...complete({ parts: Array.from({ length: 349_000 }, () => ({})) }),
    status: 422,
    code: 'too-many-parts',
    field: 'parts',
  },
  {
    name: 'sign a completed upload (replayed token)',
    method: 'POST',
    path: (f) => `${id(f.completed)}/sign`,
    token: (f) => f.completed.token,
    body: { parts: [{ partNumber: 1, size: 1000, checksum: '1B2M2Y8AsgTpgAmY7PhCfg==' }] },
    status: 409,
    code: 'upload-completed',
  },
  // ── complete
  {
    name: 'complete without a user',
    ...complete((f: Fixtures) => ({ parts: twoParts(f) })),
    user: null,
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'complete without a token',
    ...complete((f: Fixtures) => ({ parts: twoParts(f) })),
    token: () => '',
    status: 401,
    code: 'token-missing',
    field: 'x-tessera-upload-token',
  },
  {
    name: 'complete as another user',
    ...complete((f: Fixtures) => ({ parts: twoParts(f) })),
    user: 'mallory',
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'complete with an expired token',
    ...complete((f: Fixtures) => ({ parts: twoParts(f) })),
    token: (f) => f.expired,
    status: 403,
    code: 'token-expired',
  },
  {
    name: 'complete as text/plain',
    ...complete({ parts: [] }),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported-media-type',
  },
  { name: 'complete with no parts field', ...complete({}), status: 400, code: 'invalid-field', field: 'parts' },
  { name: 'complete with no parts', ...complete({ parts: [] }), status: 400, code: 'invalid-field', field: 'parts' },
  {
    name: 'complete with an empty ETag',
    ...complete({ parts: [{ partNumber: 1, etag: '' }] }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.etag',
  },
  {
    name: 'complete with a 200-character ETag',
    ...complete({ parts: [{ partNumber: 1, etag: 'e'.repeat(200) }] }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.etag',
  },
  {
    name: 'complete with a numeric ETag',
    ...complete({ parts: [{ partNumber: 1, etag: 5 }] }),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.etag',
  },
  {
    name: 'complete with more parts than planned',
    ...complete((f: Fixtures) => ({ parts: [...twoParts(f), { partNumber: 3, etag: fakeEtag }] })),
    status: 422,
    code: 'too-many-parts',
    field: 'parts',
  },
  {
    name: 'complete with a part past the last',
    ...complete((f: Fixtures) => ({ parts: [twoParts(f)[0], { partNumber: 3, etag: fakeEtag }] })),
    status: 422,
    code: 'part-out-of-range',
    field: 'parts.1.partNumber',
  },
  {
    name: 'complete with parts out of order',
    ...complete((f: Fixtures) => ({ parts: twoParts(f).reverse() })),
    status: 400,
    code: 'invalid-field',
    field: 'parts.0.partNumber',
  },
  {
    name: 'complete with a part twice',
    ...complete((f: Fixtures) => ({ parts: [twoParts(f)[0], twoParts(f)[0]] })),
    status: 400,
    code: 'invalid-field',
    field: 'parts.1.partNumber',
  },
  {
    name: 'complete with a part left out',
    ...complete((f: Fixtures) => ({ parts: twoParts(f).slice(0, 1) })),
    status: 409,
    code: 'parts-missing',
    field: 'parts',
  },
  {
    name: 'complete with a part never stored',
    ...complete((f: Fixtures) => ({ parts: twoParts(f) })),
    status: 409,
    code: 'parts-missing',
    field: 'parts.1',
  },
  {
    name: 'complete with a wrong ETag',
    ...complete(() => ({
      parts: [
        { partNumber: 1, etag: fakeEtag },
        { partNumber: 2, etag: fakeEtag },
      ],
    })),
    status: 409,
    code: 'etag-mismatch',
    field: 'parts.0.etag',
  },
  {
    name: 'complete with a size other than declared',
    ...complete((f: Fixtures) => ({ parts: twoParts(f), size: 999 })),
    status: 409,
    code: 'size-mismatch',
    field: 'size',
  },
  {
    name: 'complete with a malformed sha256',
    ...complete((f: Fixtures) => ({ parts: twoParts(f), sha256: 'zz' })),
    status: 400,
    code: 'invalid-field',
    field: 'sha256',
  },
  {
    name: 'complete with another sha256 than declared',
    method: 'POST',
    path: (f) => `${id(f.withSha)}/complete`,
    token: (f) => f.withSha.token,
    body: { parts: [{ partNumber: 1, etag: fakeEtag }], sha256: `${'B'.repeat(43)}=` },
    status: 409,
    code: 'checksum-mismatch',
    field: 'sha256',
  },
  {
    name: 'complete a growing upload without its size',
    method: 'POST',
    path: (f) => `${id(f.growing)}/complete`,
    token: (f) => f.growing.token,
    body: { parts: [{ partNumber: 1, etag: fakeEtag }] },
    status: 400,
    code: 'invalid-field',
    field: 'size',
  },
  {
    name: 'complete a growing upload beyond the policy',
    method: 'POST',
    path: (f) => `${id(f.growing)}/complete`,
    token: (f) => f.growing.token,
    body: { parts: [{ partNumber: 1, etag: fakeEtag }], size: 60 * GiB },
    status: 413,
    code: 'file-too-large',
    field: 'size',
  },
  {
    name: 'complete with a 2 MiB body',
    ...complete({ parts: [], padding: 'x'.repeat(2 * MiB) }),
    status: 413,
    code: 'body-too-large',
  },
  {
    name: 'complete a completed upload with other parts (replayed token)',
    method: 'POST',
    path: (f) => `${id(f.completed)}/complete`,
    token: (f) => f.completed.token,
    body: { parts: [{ partNumber: 1, etag: fakeEtag }] },
    status: 409,
    code: 'upload-completed',
  },
  {
    name: 'complete an aborted upload (replayed token)',
    method: 'POST',
    path: (f) => `${id(f.aborted)}/complete`,
    token: (f) => f.aborted.token,
    body: { parts: [{ partNumber: 1, etag: fakeEtag }] },
    status: 404,
    code: 'upload-not-found',
  },
  // ── abort
  { name: 'abort without a user', ...abort((f) => f.open.token), user: null, status: 401, code: 'unauthenticated' },
  {
    name: 'abort without a token',
    ...abort(() => ''),
    status: 401,
    code: 'token-missing',
    field: 'x-tessera-upload-token',
  },
  { name: 'abort as another user', ...abort((f) => f.open.token), user: 'mallory', status: 403, code: 'forbidden' },
  { name: 'abort with a tampered token', ...abort((f) => f.tampered), status: 403, code: 'token-invalid' },
  {
    name: 'abort with a token of another secret',
    ...abort((f) => f.foreignSecret),
    status: 403,
    code: 'token-invalid',
  },
  { name: 'abort with an expired token', ...abort((f) => f.expired), status: 403, code: 'token-expired' },
  {
    name: 'abort with the token of another upload',
    ...abort((f) => f.other.token),
    status: 403,
    code: 'token-mismatch',
    field: 'uploadId',
  },
  {
    name: 'abort an aborted upload (replayed token)',
    ...abort(
      (f) => f.aborted.token,
      (f) => id(f.aborted),
    ),
    status: 404,
    code: 'upload-not-found',
  },
  {
    name: 'abort a completed upload (replayed token)',
    ...abort(
      (f) => f.completed.token,
      (f) => id(f.completed),
    ),
    status: 409,
    code: 'upload-completed',
  },
];

let servers: Record<Target, UploadServer>;
let fixtures: Fixtures;
let s3: S3Client;

// Paged: the store lists at most 1,000 keys at a time, and the run's bucket holds more.
const bucketState = () => pagedBucketState(s3, store.bucket);

beforeAll(async () => {
  s3 = storeClient(store);
  servers = {
    default: await startUploadServer(store),
    strict: await startUploadServer(store, {
      policy: { allowedTypes: ['video/*'], allowUnknownSize: false, maxFileSize: 100 * MiB },
    }),
    bounded: await startUploadServer(store, { policy: { maxFileSize: 64 * MiB, minFileSize: 1024 } }),
    // The README's example hook, which keeps the name in the key.
    readmeKey: await startUploadServer(store, {
      objectKey: ({ userId, randomId, fileName }) => `videos/${userId}/${randomId}/${fileName}`,
    }),
    // A careless hook that cuts the name by UTF-16 units, through the middle of a surrogate pair.
    splittingKey: await startUploadServer(store, {
      objectKey: ({ userId, randomId, fileName }) => `videos/${userId}/${randomId}/${fileName.slice(0, 10)}`,
    }),
  };
  const base = servers.default.url;
  const start = async (body: Record<string, unknown>) => {
    const reply = await createUpload(base, { ...valid, ...body } as typeof valid);
    if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
    return reply.body;
  };
  const data = testBytes(10 * MiB, 21);
  const open = await start({ size: data.length });
  const [part1] = await putParts(base, open, data, [1]);
  const completed = await start({ size: 1000 });
  const small = testBytes(1000, 22);
  const completedParts = await putParts(base, completed, small, [1]);
  expect((await completeUpload(base, completed, { parts: completedParts })).status).toBe(200);
  const aborted = await start({ size: 1000 });
  expect((await call(base, 'DELETE', id(aborted), undefined, { token: aborted.token })).status).toBe(200);

  const [payload, signature] = open.token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  const { v: _version, ...rest } = claims;
  fixtures = {
    open,
    other: await start({ size: 1000 }),
    growing: await start({ size: undefined }),
    withSha: await start({ size: 1000, sha256: md5Base64(small).replace('==', '').padEnd(43, 'A').concat('=') }),
    completed,
    aborted,
    boundedGrowing: await (async () => {
      const reply = await createUpload(servers.bounded.url, { fileName: 'rec.webm', contentType: 'video/webm' });
      if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
      return reply.body;
    })(),
    etag1: part1?.etag ?? '',
    tampered: `${Buffer.from(JSON.stringify({ ...claims, size: 1 })).toString('base64url')}.${signature}`,
    expired: await new UploadTokens(TEST_SECRET).sign({ ...rest, expiresAt: Math.floor(Date.now() / 1000) - 60 }),
    foreignSecret: await new UploadTokens('another-secret-that-is-long-enough-00000').sign(rest),
  };
});

afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((server) => server.close()));
  s3?.destroy();
});

describe('bad input is refused with a typed error and no side effect', () => {
  it('has at least 100 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = await bucketState();
    const path = typeof row.path === 'function' ? row.path(fixtures) : (row.path ?? '/');
    const body = typeof row.body === 'function' ? (row.body as (f: Fixtures) => unknown)(fixtures) : row.body;
    const options: CallOptions = { user: row.user === undefined ? 'alice' : row.user, headers: row.headers ?? {} };
    const token = row.token?.(fixtures);
    if (token) options.token = token;
    if (row.raw !== undefined) options.headers = { 'content-type': 'application/json', ...options.headers };
    const reply = await call<{ error?: { code: string; field?: string; message: string } }>(
      servers[row.target ?? 'default'].url,
      row.method ?? 'GET',
      path,
      row.raw ?? body,
      options,
    );
    expect(reply.status).toBe(row.status);
    expect(reply.body.error?.code).toBe(row.code);
    expect(reply.body.error?.field).toBe(row.field);
    expect(reply.body.error?.message).toEqual(expect.any(String));
    expect(await bucketState()).toEqual(before);
  });
});
