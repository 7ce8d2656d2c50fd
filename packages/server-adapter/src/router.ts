import { isTesseraError, PROTOCOL_VERSION, type PartChecksumAlgorithm, TesseraError } from '@tessera/core';
import { DEFAULT_POLICY, type HandlerContext } from './context.js';
import { type CorsOptions, corsHeaders } from './cors.js';
import { abortUpload } from './handlers/abort.js';
import { completeUpload } from './handlers/complete.js';
import { createUpload } from './handlers/create.js';
import { listParts } from './handlers/listParts.js';
import { signParts } from './handlers/signParts.js';
import { errorResponse, json, readJson } from './http.js';
import { DEFAULT_INTENT_PREFIX } from './intents.js';
import { defaultObjectKey } from './s3/objectKey.js';
import { createS3Gateway, type S3ClientConfig } from './s3/s3Gateway.js';
import { UploadTokens } from './token.js';
import type { CompletedUpload, ObjectKeyInput, S3Gateway, UploadIdentity, UploadPolicy } from './types.js';

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
  /**
   * Called when an upload has been assembled and verified, before complete answers 200; e.g. to record it.
   * At least once per completed upload, with `uploadId` as the idempotency key: if it throws, complete
   * answers 500 `hook-failed` (retryable) and the next complete of the upload runs it again; a retried
   * complete after it returned does not. Completes racing each other run it once in the usual case, but may
   * run it more than once, so record with an upsert on `uploadId`.
   */
  onComplete?: (event: CompletedUpload) => void | Promise<void>;
  /**
   * Called with errors of the service, not of the request: unexpected ones (answered 500 `internal-error`),
   * store failures (502 `store-error`, `integrity-mismatch`), `onComplete` failures (500 `hook-failed`),
   * and clean-up failures a request survives. Refused requests and clients that go away are not reported.
   */
  onError?: (error: unknown, request: Request) => void;
  /** Answer cross-origin requests and their preflights from these origins. @default off (same origin only) */
  cors?: CorsOptions;
  /** Longest wait for a request body, in milliseconds; slower bodies get 408 `request-timeout`. @default 30000 */
  bodyTimeoutMs?: number;
  /**
   * Key prefix in the bucket for the small records complete and abort leave while they run (how handler
   * instances coordinate through the store). The handler's credentials need PutObject, GetObject and
   * DeleteObject there. @default '.tessera/intents/'
   */
  intentPrefix?: string;
  /** Clock in milliseconds, for tests. @default Date.now */
  now?: () => number;
  /** Wait this many milliseconds (a complete waiting for another's `onComplete`), for tests. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** A web-standard request handler. */
export type UploadHandler = (request: Request) => Promise<Response>;

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
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
  const intentPrefix = options.intentPrefix ?? DEFAULT_INTENT_PREFIX;
  if (intentPrefix === '' || intentPrefix.startsWith('/')) throw new TypeError('intentPrefix must be a key prefix such as ".tessera/intents/"');
  const now = options.now ?? Date.now;
  if (options.cors && typeof options.cors.origins !== 'function') {
    for (const origin of options.cors.origins) {
      let canonical: string | undefined;
      try {
        canonical = new URL(origin).origin;
      } catch {
        canonical = undefined;
      }
      // A browser's Origin header is exactly this form: anything else (a trailing slash, a path) never matches.
      if (canonical !== origin) throw new TypeError(`cors.origins: ${JSON.stringify(origin)} is not an origin such as "https://app.example.com"`);
    }
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));

  async function serve(request: Request, operation: Route): Promise<Response> {
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
      intentPrefix,
      onComplete: options.onComplete,
      report: (error) => options.onError?.(error, request),
      readJson: (limit, objects) => readJson(request, limit, bodyTimeoutMs, objects),
      now,
      sleep,
    };
    switch (operation.operation) {
      case 'create':
        return json(await createUpload(context), 201);
      case 'sign':
        return json(await signParts(context, operation.uploadId));
      case 'list':
        return json(await listParts(context, operation.uploadId));
      case 'complete':
        return json(await completeUpload(context, operation.uploadId));
      case 'abort':
        return json(await abortUpload(context, operation.uploadId));
    }
  }

  return async (request) => {
    let cors: Record<string, string> = {};
    try {
      const decision = await corsHeaders(request, options.cors);
      cors = decision.headers;
      if (decision.preflight) {
        if (!decision.allowed) throw new TesseraError('forbidden', 'this origin may not call the upload service');
        return new Response(null, { status: 204, headers: cors });
      }
      const response = await serve(request, route(new URL(request.url).pathname, basePath, request.method));
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      return response;
    } catch (error) {
      // A client that went away is nobody's fault on this side: answered (for the log) and not reported.
      if (request.signal.aborted || isTesseraError(error, 'client-closed')) {
        return errorResponse(new TesseraError('client-closed', 'the client went away'), cors);
      }
      if (error instanceof TesseraError) {
        if (REPORTED.has(error.code)) options.onError?.(error, request);
        return errorResponse(error, cors);
      }
      options.onError?.(error, request);
      // Unknown failures (an `authorize` whose database is down) may well pass on a retry.
      const failure = new TesseraError('internal-error', 'the upload service failed', { retryable: true, cause: error });
      return errorResponse(failure, cors);
    }
  };
}

/** Typed errors that say the service (the store, the app's hook) failed rather than the request. */
const REPORTED = new Set<TesseraError['code']>(['store-error', 'integrity-mismatch', 'hook-failed']);
