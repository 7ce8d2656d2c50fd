/**
 * Calls a Tessera route handler directly as `Request → Response` (no HTTP server in between), as the
 * browser client would over the wire, and prepares uploads with real parts in the store for P6.
 */
import { createHash } from 'node:crypto';
import type {
  CompleteUploadResponse,
  CreateUploadResponse,
  ListPartsResponse,
  SignPartsResponse,
} from '@tessera/core';
import { UPLOAD_TOKEN_HEADER } from '@tessera/core';
import type { UploadHandler } from '@tessera/server-adapter';

const ORIGIN = 'http://bench.invalid/api/uploads';

/** An answer's parsed body and its size on the wire. */
export interface Answer<Body> {
  body: Body;
  bytes: number;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export class HandlerClient {
  constructor(private readonly handler: UploadHandler) {}

  private async call<Body>(what: string, path: string, init: RequestInit, expected = 200): Promise<Answer<Body>> {
    const response = await this.handler(new Request(`${ORIGIN}/v1/uploads${path}`, init));
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${what}: ${response.status} ${text.slice(0, 300)}`);
    return { body: JSON.parse(text) as Body, bytes: Buffer.byteLength(text) };
  }

  private static post(body: unknown, token?: string): RequestInit {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers[UPLOAD_TOKEN_HEADER] = token;
    return { method: 'POST', headers, body: JSON.stringify(body) };
  }

  create(request: { fileName: string; contentType: string; size: number }): Promise<Answer<CreateUploadResponse>> {
    return this.call('create', '', HandlerClient.post(request), 201);
  }

  sign(
    upload: CreateUploadResponse,
    parts: ReadonlyArray<{ partNumber: number; size: number; checksum: string }>,
  ): Promise<Answer<SignPartsResponse>> {
    return this.call('sign', `/${encodeURIComponent(upload.uploadId)}/sign`, HandlerClient.post({ parts }, upload.token));
  }

  /** A complete with `body` sent as it is (a hostile one, say), expecting `expected`. */
  completeRaw(upload: CreateUploadResponse, body: string, expected: number): Promise<Answer<unknown>> {
    return this.call('complete', `/${encodeURIComponent(upload.uploadId)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [UPLOAD_TOKEN_HEADER]: upload.token },
      body,
    }, expected);
  }

  list(upload: CreateUploadResponse): Promise<Answer<ListPartsResponse>> {
    return this.call('list', `/${encodeURIComponent(upload.uploadId)}/parts`, {
      method: 'GET',
      headers: { [UPLOAD_TOKEN_HEADER]: upload.token },
    });
  }

  complete(upload: CreateUploadResponse, parts: readonly CompletedPart[]): Promise<Answer<CompleteUploadResponse>> {
    return this.call('complete', `/${encodeURIComponent(upload.uploadId)}/complete`, HandlerClient.post({ parts }, upload.token));
  }

  abort(upload: CreateUploadResponse): Promise<Answer<{ aborted: boolean }>> {
    return this.call('abort', `/${encodeURIComponent(upload.uploadId)}`, {
      method: 'DELETE',
      headers: { [UPLOAD_TOKEN_HEADER]: upload.token },
    });
  }
}

/** An upload whose every part is in the store, ready to complete; `completeBytes` is its complete body's size. */
export interface PreparedUpload {
  upload: CreateUploadResponse;
  parts: CompletedPart[];
  completeBytes: number;
}

/**
 * Create an upload of `partCount` parts of `partSize` bytes through the handler, sign its parts and PUT
 * them to the store (`lanes` at a time) with the returned URLs and headers. Every part holds the same
 * bytes, so one buffer and one MD5 serve them all.
 */
export async function prepareUpload(
  client: HandlerClient,
  options: { name: string; partCount: number; partSize: number; lanes?: number },
): Promise<PreparedUpload> {
  const { name, partCount, partSize, lanes = 8 } = options;
  const bytes = Buffer.alloc(partSize, name);
  const checksum = createHash('md5').update(bytes).digest('base64');
  const { body: upload } = await client.create({ fileName: name, contentType: 'application/octet-stream', size: partCount * partSize });
  if (upload.partSize !== partSize || upload.partCount !== partCount) {
    throw new Error(`prepare: the handler planned ${upload.partCount} parts of ${upload.partSize} bytes`);
  }
  const signed: SignPartsResponse['parts'] = [];
  for (let first = 1; first <= partCount; first += upload.maxSignBatch) {
    const count = Math.min(upload.maxSignBatch, partCount - first + 1);
    const parts = Array.from({ length: count }, (_, offset) => ({ partNumber: first + offset, size: partSize, checksum }));
    signed.push(...(await client.sign(upload, parts)).body.parts);
  }
  const parts: CompletedPart[] = [];
  let next = 0;
  async function lane(): Promise<void> {
    for (let part = signed[next++]; part !== undefined; part = signed[next++]) {
      const response = await fetch(part.url, { method: 'PUT', headers: part.headers, body: bytes });
      if (!response.ok) throw new Error(`PUT part ${part.partNumber}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      parts.push({ partNumber: part.partNumber, etag: (response.headers.get('etag') ?? '').replace(/"/g, '') });
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane));
  parts.sort((a, b) => a.partNumber - b.partNumber);
  return { upload, parts, completeBytes: Buffer.byteLength(JSON.stringify({ parts })) };
}
