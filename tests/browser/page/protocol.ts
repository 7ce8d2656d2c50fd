/** The upload protocol from the page, one fetch per operation; see packages/server-adapter/README.md. */
import { type SignPartsResponse, UPLOAD_TOKEN_HEADER } from '@tessera/core';
import type { PageProtocol } from './pageTypes.js';

async function call<T>(endpoint: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers[UPLOAD_TOKEN_HEADER] = token;
  const response = await fetch(`${endpoint}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const uploadPath = (uploadId: string) => `/v1/uploads/${encodeURIComponent(uploadId)}`;

export const protocol: PageProtocol = {
  createUpload: (endpoint, request) => call(endpoint, 'POST', '/v1/uploads', request),

  async signParts(endpoint, upload, parts) {
    const path = `${uploadPath(upload.uploadId)}/sign`;
    const signed = await call<SignPartsResponse>(endpoint, 'POST', path, { parts }, upload.token);
    return signed.parts;
  },

  async putPart(part, body) {
    // The body is the Blob itself: a disk-backed slice streams from disk; bytes in memory would crawl.
    const response = await fetch(part.url, { method: 'PUT', headers: part.headers, body });
    if (!response.ok) throw new Error(`PUT part ${part.partNumber}: ${response.status} ${await response.text()}`);
    const etag = response.headers.get('etag');
    if (!etag) throw new Error(`PUT part ${part.partNumber}: no readable ETag (the store's CORS must expose it)`);
    return etag;
  },

  completeUpload: (endpoint, upload, request) =>
    call(endpoint, 'POST', `${uploadPath(upload.uploadId)}/complete`, request, upload.token),

  async abortUpload(endpoint, upload) {
    await call(endpoint, 'DELETE', uploadPath(upload.uploadId), undefined, upload.token);
  },
};
