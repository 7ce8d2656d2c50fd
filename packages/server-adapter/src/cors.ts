import { UPLOAD_TOKEN_HEADER } from '@tessera/core';

/** Cross-origin access to the handler, for pages served from another origin than the app's API. */
export interface CorsOptions {
  /**
   * Origins allowed to call the handler: exact origins (`'https://app.example.com'`, no path, no trailing
   * slash), or a function of the request's `Origin` header.
   */
  origins: readonly string[] | ((origin: string) => boolean | Promise<boolean>);
  /**
   * Request headers a page may send besides `content-type` and `x-tessera-upload-token` (which are always
   * allowed), e.g. `['authorization']` for the fetch transport's `headers` option. @default []
   */
  allowHeaders?: readonly string[];
  /** Allow credentials (cookies): `Access-Control-Allow-Credentials: true`. @default false */
  credentials?: boolean;
  /** How long a browser may cache a preflight answer, in seconds. @default 600 */
  maxAgeSeconds?: number;
}

/** What {@link corsHeaders} decided for one request. */
export interface CorsDecision {
  /**
   * Headers to add to the answer: with `options`, always `Vary: Origin`, and the CORS headers when the
   * request's origin is allowed; nothing without `options`.
   */
  headers: Record<string, string>;
  /** Whether the request is a preflight (`OPTIONS` with `Access-Control-Request-Method`). */
  preflight: boolean;
  /** Whether the origin is allowed; `true` for a request without `Origin`. */
  allowed: boolean;
}

const METHODS = 'GET, POST, DELETE';

/**
 * The CORS headers for `request` under `options`: `Access-Control-Allow-Origin` (the request's own origin,
 * never `*`, with `Vary: Origin`) on every answer to an allowed origin, and for a preflight the methods,
 * headers and cache lifetime. Without `options` nothing is added and preflights are not recognised.
 */
export async function corsHeaders(request: Request, options: CorsOptions | undefined): Promise<CorsDecision> {
  const origin = request.headers.get('origin');
  const preflight =
    options !== undefined && request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
  if (options === undefined) return { headers: {}, preflight, allowed: true };
  // The answer depends on the Origin header even when there is none: a cache must not hand an answer
  // without `Access-Control-Allow-Origin` to a page that needs one (Fetch, "CORS protocol and HTTP caches").
  if (origin === null) return { headers: { vary: 'Origin' }, preflight, allowed: true };
  const allowed =
    typeof options.origins === 'function' ? await options.origins(origin) : options.origins.includes(origin);
  if (!allowed) return { headers: { vary: 'Origin' }, preflight, allowed: false };
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-expose-headers': 'retry-after',
  };
  if (options.credentials) headers['access-control-allow-credentials'] = 'true';
  if (preflight) {
    headers['access-control-allow-methods'] = METHODS;
    headers['access-control-allow-headers'] = ['content-type', UPLOAD_TOKEN_HEADER, ...(options.allowHeaders ?? [])].join(
      ', ',
    );
    headers['access-control-max-age'] = String(options.maxAgeSeconds ?? 600);
  }
  return { headers, preflight, allowed: true };
}
