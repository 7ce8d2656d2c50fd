/** Raw protocol calls for tests: every call returns the HTTP status and the parsed JSON body. */
import { createHash } from 'node:crypto';
import {
  type CompleteUploadRequest,
  type CreateUploadRequest,
  type CreateUploadResponse,
  type SignPartsResponse,
  UPLOAD_TOKEN_HEADER,
} from '@tessera/core';
import { patternChunk } from './pattern.js';
import { TEST_USER_HEADER } from './uploadServer.js';

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

export interface CallOptions {
  user?: string | null;
  token?: string;
  headers?: Record<string, string>;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.user !== null) headers[TEST_USER_HEADER] = options.user ?? 'alice';
  if (options.token) headers[UPLOAD_TOKEN_HEADER] = options.token;
  if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body:
      body === undefined
        ? undefined
        : typeof body === 'string' || body instanceof Uint8Array
          ? (body as string | Uint8Array<ArrayBuffer>)
          : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export const md5Base64 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic pseudo-random bytes (so a failure reproduces). */
export function testBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  return patternChunk(seed, 0, length);
}

export function createUpload(base: string, request: CreateUploadRequest, options?: CallOptions) {
  return call<CreateUploadResponse>(base, 'POST', '/v1/uploads', request, options);
}

export function signParts(
  base: string,
  upload: Pick<CreateUploadResponse, 'uploadId' | 'token'>,
  parts: Array<{ partNumber: number; size: number; checksum: string }>,
  options: CallOptions = {},
) {
  return call<SignPartsResponse>(
    base,
    'POST',
    `/v1/uploads/${encodeURIComponent(upload.uploadId)}/sign`,
    { parts },
    {
      token: upload.token,
      ...options,
    },
  );
}

export function completeUpload(
  base: string,
  upload: Pick<CreateUploadResponse, 'uploadId' | 'token'>,
  request: CompleteUploadRequest,
  options: CallOptions = {},
) {
  return call(base, 'POST', `/v1/uploads/${encodeURIComponent(upload.uploadId)}/complete`, request, {
    token: upload.token,
    ...options,
  });
}

/** The bytes of part `partNumber` of `data` cut into `partSize` parts. */
export function partBytes(
  data: Uint8Array<ArrayBuffer>,
  partSize: number,
  partNumber: number,
): Uint8Array<ArrayBuffer> {
  return data.subarray((partNumber - 1) * partSize, Math.min(partNumber * partSize, data.length));
}

/** Sign and PUT the given parts of `data`; returns each part's ETag (as the store sent it). */
export async function putParts(
  base: string,
  upload: CreateUploadResponse,
  data: Uint8Array<ArrayBuffer>,
  partNumbers: number[],
  options: CallOptions = {},
): Promise<Array<{ partNumber: number; etag: string }>> {
  const signed = await signParts(
    base,
    upload,
    partNumbers.map((partNumber) => {
      const bytes = partBytes(data, upload.partSize, partNumber);
      return { partNumber, size: bytes.length, checksum: md5Base64(bytes) };
    }),
    options,
  );
  if (signed.status !== 200) throw new Error(`sign failed: ${JSON.stringify(signed.body)}`);
  return Promise.all(
    signed.body.parts.map(async (part) => {
      const bytes = partBytes(data, upload.partSize, part.partNumber);
      const response = await fetch(part.url, { method: 'PUT', headers: part.headers, body: new Blob([bytes]) });
      if (response.status !== 200)
        throw new Error(`PUT part ${part.partNumber}: ${response.status} ${await response.text()}`);
      return { partNumber: part.partNumber, etag: response.headers.get('etag') ?? '' };
    }),
  );
}
