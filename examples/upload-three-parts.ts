/**
 * The README's example: serve the upload handler over HTTP, then upload a 3-part file through it into the
 * store started by `npm run store`, exactly as a browser would (create → sign → PUT parts → complete).
 * Run: npm run store && npm run example
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CompleteUploadResponse, CreateUploadResponse, SignPartsResponse } from '@tessera/core';
import { createNodeListener, createUploadHandler } from '@tessera/server-adapter';

const endpoint = process.env.TESSERA_STORE_ENDPOINT ?? 'http://127.0.0.1:9000';

// 1. The server side: one handler, the store is configuration.
const s3 = {
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test:tester', secretAccessKey: 'testing' },
};
const handler = createUploadHandler({
  bucket: 'tessera',
  s3,
  secret: 'replace-me-with-32-or-more-random-characters',
  authorize: (request) => ({ userId: request.headers.get('x-user') ?? 'guest' }),
  policy: { maxFileSize: 1024 ** 3, allowedTypes: ['video/*', 'application/octet-stream'] },
});
const server = createServer(createNodeListener(handler)).listen(0, '127.0.0.1');
await new Promise((ready) => server.once('listening', ready));
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/uploads/v1/uploads`;

// 2. The client side (what @tessera/core does in the browser): a 19 MiB file is 3 parts of ≤ 8 MiB.
const file = new Uint8Array(19 * 1024 * 1024).map((_, i) => (i * 31) % 251);
const post = async <T>(url: string, body: unknown, token?: string): Promise<T> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': 'ada', ...(token && { 'x-tessera-upload-token': token }) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

const upload = await post<CreateUploadResponse>(api, {
  fileName: 'clip.mp4',
  contentType: 'video/mp4',
  size: file.length,
});
console.log(`created ${upload.key}: ${upload.partCount} parts of ${upload.partSize} bytes`);

const slices = Array.from({ length: upload.partCount ?? 0 }, (_, i) =>
  file.subarray(i * upload.partSize, Math.min((i + 1) * upload.partSize, file.length)),
);
const { parts: signed } = await post<SignPartsResponse>(
  `${api}/${encodeURIComponent(upload.uploadId)}/sign`,
  {
    parts: slices.map((bytes, i) => ({
      partNumber: i + 1,
      size: bytes.length,
      checksum: createHash('md5').update(bytes).digest('base64'),
    })),
  },
  upload.token,
);
const etags = await Promise.all(
  signed.map(async (part, i) => {
    // The bytes go straight to the store; the presigned URL binds their length and MD5.
    const response = await fetch(part.url, {
      method: 'PUT',
      headers: part.headers,
      body: new Blob([slices[i] as Uint8Array<ArrayBuffer>]),
    });
    if (!response.ok) throw new Error(`part ${part.partNumber}: ${response.status}`);
    return { partNumber: part.partNumber, etag: response.headers.get('etag') ?? '' };
  }),
);
const done = await post<CompleteUploadResponse>(
  `${api}/${encodeURIComponent(upload.uploadId)}/complete`,
  { parts: etags },
  upload.token,
);
console.log(`completed ${done.key}: ${done.size} bytes, ETag ${done.etag}`);

// 3. Read it back from the store and compare.
const object = await new S3Client(s3).send(new GetObjectCommand({ Bucket: 'tessera', Key: done.key }));
const stored = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
console.log(
  `stored object sha256 ${sha(stored) === sha(file) ? 'matches' : 'DIFFERS FROM'} the file (${sha(file).slice(0, 16)}…)`,
);
server.close();
