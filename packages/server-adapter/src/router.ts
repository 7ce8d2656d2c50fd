import { type CompleteUploadResponse, type PartChecksumAlgorithm, PROTOCOL_VERSION, TesseraError } from '@tessera/core';
import { DEFAULT_POLICY, type HandlerContext } from './context.js';
import { abortUpload } from './handlers/abort.js';
import { completeUpload } from './handlers/complete.js';
import { createUpload } from './handlers/create.js';
import { listParts } from './handlers/listParts.js';
import { signParts } from './handlers/signParts.js';
import { errorResponse, json, readJson } from './http.js';
import { defaultObjectKey } from './s3/objectKey.js';
import { createS3Gateway, type S3ClientConfig } from './s3/s3Gateway.js';
import { UploadTokens } from './token.js';
import type { ObjectKeyInput, S3Gateway, UploadIdentity, UploadPolicy } from './types.js';

/** Options of {@link createUploadHandler}. */
export interface UploadHandlerOptions {
  /** Bucket the uploads go to. */
  bucket: string;
  /**
   * How to reach the store (endpoint, region, credentials, `forcePathStyle`): the same handler works
   * against AWS S3, R2, MinIO or the embedded store. Ignored when `gateway` is given.
   */
  s3?: S3ClientConfig;
  /** A ready {@link S3Gateway}, instead of `s3`. */
  gateway?: S3Gateway;
  /** Secret(s) that sign upload tokens, each ≥ 32 characters; the first signs, all verify. */
  secret: string | readonly string[];
  /** Who is asking: return `null` to answer 401. Runs before anything else on every request. */
  authorize: (request: Request) => UploadIdentity | null | Promise<UploadIdentity | null>;
  /** Limits on sizes, types and parts. */
  policy?: UploadPolicy;
  /** The object key for a new upload; the client never names it. @default `uploads/<user>/<uuid>/<name>` */
  objectKey?: (input: ObjectKeyInput) => string | Promise<string>;
  /** Lifetime of presigned part URLs, in seconds. @default 300 */
  urlTtlSeconds?: number;
  /** Lifetime of upload tokens (how long an upload can be resumed), in seconds. @default 604800 (7 days) */
  tokenTtlSeconds?: number;
  /** Per-part checksum bound into presigned URLs. @default 'md5' */
  checksumAlgorithm?: PartChecksumAlgorithm;
  /** Path the handler is mounted on. @default '/api/uploads' */
  basePath?: string;
  /** Called once after an upload completed (not again for a replayed complete), e.g. to record it. */
  onComplete?: (event: CompleteUploadResponse & { userId: string }) => void | Promise<void>;
  /** Called with unexpected errors (answered as 500 `internal-error` or 502 `store-error`). */
  onError?: (error: unknown, request: Request) => void;
  /** Clock in milliseconds, for tests. @default Date.now */
  now?: () => number;
}

/** A web-standard request handler. */
export type UploadHandler = (request: Request) => Promise<Response>;

const BODY_LIMITS = { create: 16 * 1024, sign: 64 * 1024, complete: 1024 * 1024 };

type Route = { operation: 'create' } | { operation: 'sign' | 'list' | 'complete' | 'abort'; uploadId: string };

const ROUTES: Array<{ pattern: RegExp; methods: Record<string, Route['operation']> }> = [
  { pattern: /^\/uploads$/, methods: { POST: 'create' } },
  { pattern: /^\/uploads\/([^/]+)\/sign$/, methods: { POST: 'sign' } },
  { pattern: /^\/uploads\/([^/]+)\/parts$/, methods: { GET: 'list' } },
  { pattern: /^\/uploads\/([^/]+)\/complete$/, methods: { POST: 'complete' } },
  { pattern: /^\/uploads\/([^/]+)$/, methods: { DELETE: 'abort' } },
];

function route(pathname: string, basePath: string, method: string): Route {
  const prefix = `${basePath.replace(/\/$/, '')}/${PROTOCOL_VERSION}`;
  if (!pathname.startsWith(`${prefix}/`)) throw new TesseraError('not-found', `no operation at ${pathname}`);
  const rest = pathname.slice(prefix.length);
  for (const { pattern, methods } of ROUTES) {
    const match = pattern.exec(rest);
    if (!match) continue;
    const operation = methods[method];
    if (!operation) {
      throw new TesseraError('method-not-allowed', `${method} is not allowed here; use ${Object.keys(methods)[0]}`);
    }
    if (operation === 'create') return { operation };
    let uploadId: string;
    try {
      uploadId = decodeURIComponent(match[1] as string);
    } catch {
      throw new TesseraError('invalid-field', 'uploadId is not correctly encoded', { field: 'uploadId' });
    }
    return { operation, uploadId };
  }
  throw new TesseraError('not-found', `no operation at ${pathname}`);
}

/**
 * Create the server side of Tessera as a web-standard `(Request) => Promise<Response>`: create, sign,
 * list, complete and abort multipart uploads, behind your `authorize` hook. The server never sees file
 * bytes and keeps no state: S3 and the signed upload tokens are the whole truth.
 *
 * @example
 * ```ts
 * const handler = createUploadHandler({
 *   bucket: 'uploads',
 *   s3: { region: 'us-east-1' },
 *   secret: process.env.UPLOAD_SECRET!,
 *   authorize: async (request) => (await session(request)) ?? null,
 *   policy: { maxFileSize: 20 * 2 ** 30, allowedTypes: ['video/*'] },
 * });
 * ```
 */
export function createUploadHandler(options: UploadHandlerOptions): UploadHandler {
  if (!options.gateway && !options.s3) throw new TypeError('createUploadHandler needs `s3` or `gateway`');
  const gateway = options.gateway ?? createS3Gateway(options.s3 as S3ClientConfig, options.bucket);
  const tokens = new UploadTokens(options.secret);
  const basePath = options.basePath ?? '/api/uploads';
  const urlTtlSeconds = options.urlTtlSeconds ?? 300;
  if (!(urlTtlSeconds >= 1 && urlTtlSeconds <= 604_800)) throw new RangeError('urlTtlSeconds must be 1..604800');

  return async (request) => {
    try {
      const { operation, ...params } = route(new URL(request.url).pathname, basePath, request.method);
      const identity = await options.authorize(request);
      if (!identity) throw new TesseraError('unauthenticated', 'sign in to upload');
      const context: HandlerContext = {
        request,
        identity,
        policy: { ...DEFAULT_POLICY, ...options.policy, ...identity.policy },
        gateway,
        tokens,
        objectKey: options.objectKey ?? defaultObjectKey,
        urlTtlSeconds,
        tokenTtlSeconds: options.tokenTtlSeconds ?? 604_800,
        checksumAlgorithm: options.checksumAlgorithm ?? 'md5',
        now: options.now ?? Date.now,
      };
      const uploadId = 'uploadId' in params ? params.uploadId : '';
      switch (operation) {
        case 'create':
          return json(await createUpload(context, await readJson(request, BODY_LIMITS.create)), 201);
        case 'sign':
          return json(await signParts(context, uploadId, await readJson(request, BODY_LIMITS.sign)));
        case 'list':
          return json(await listParts(context, uploadId));
        case 'complete': {
          const body = await readJson(request, BODY_LIMITS.complete);
          const { response, replayed } = await completeUpload(context, uploadId, body);
          if (!replayed) await options.onComplete?.({ ...response, userId: identity.userId });
          return json(response);
        }
        case 'abort':
          return json(await abortUpload(context, uploadId));
      }
    } catch (error) {
      if (error instanceof TesseraError) {
        if (error.code === 'store-error' || error.code === 'integrity-mismatch') options.onError?.(error, request);
        return errorResponse(error);
      }
      options.onError?.(error, request);
      return errorResponse(new TesseraError('internal-error', 'the upload service failed', { cause: error }));
    }
  };
}
