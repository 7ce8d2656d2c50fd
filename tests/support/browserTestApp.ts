/**
 * The app a browser test opens: one Node HTTP server on 127.0.0.1 serving the built test page at `/` and
 * the real upload handler at `/api/uploads/*`, so page and API share an origin (the store is another).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createNodeListener, createUploadHandler, type UploadHandlerOptions } from '@tessera/server-adapter';
import { inject } from 'vitest';
import type { StoreInfo } from '../../scripts/swiftStore.js';
import { handlerOptions } from './uploadServer.js';

/** Cookie naming the user the handler authorizes; absent → {@link DEFAULT_TEST_USER}, empty → anonymous (401). */
export const TEST_USER_COOKIE = 'tessera-test-user';
export const DEFAULT_TEST_USER = 'alice';
/** Where the handler is mounted (the handler's default `basePath`). */
export const API_PATH = '/api/uploads';

/** Options for {@link startTestApp}. */
export interface TestAppOptions {
  store: StoreInfo;
  /** Overrides of the integration tests' {@link handlerOptions} (after the cookie `authorize`). */
  handler?: Partial<UploadHandlerOptions>;
  /**
   * Store endpoint the handler talks to and presigns for, e.g. a fault proxy's URL.
   * @default store.endpoint
   */
  s3Endpoint?: string;
  /**
   * Directory of the built page.
   * @default inject('browserPage') (built by tests/support/browserPageSetup.ts)
   */
  pageDir?: string;
}

/** One request the handler answered. */
export interface ApiCall {
  method: string;
  /** Path below {@link API_PATH}, e.g. `/v1/uploads/abc/sign`. */
  path: string;
  status: number;
}

/** A running test app. */
export interface TestApp {
  /** The page's URL, `http://127.0.0.1:<port>/`. */
  url: string;
  origin: string;
  /** Every handler call so far, in order of answer. */
  apiCalls: ApiCall[];
  /** Closes the server and every connection it holds. Idempotent. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/**
 * Start the test app on a free port.
 * @example
 * const app = await startTestApp({ store: inject('store') });
 * await page.goto(app.url);
 * await app.close();
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const pageDir = resolve(options.pageDir ?? inject('browserPage'));
  const base = handlerOptions(options.store);
  const handler = createUploadHandler({
    ...base,
    authorize: (request) => {
      const user = cookie(request.headers.get('cookie'), TEST_USER_COOKIE) ?? DEFAULT_TEST_USER;
      return user ? { userId: user } : null;
    },
    ...(options.s3Endpoint === undefined ? {} : { s3: { ...base.s3, endpoint: options.s3Endpoint } }),
    ...options.handler,
  });
  const listener = createNodeListener(handler);
  const apiCalls: ApiCall[] = [];

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://test-app.invalid');
    if (pathname !== API_PATH && !pathname.startsWith(`${API_PATH}/`)) return void serveStatic(pageDir, req, res);
    res.once('finish', () =>
      apiCalls.push({ method: req.method ?? '', path: pathname.slice(API_PATH.length), status: res.statusCode }),
    );
    void listener(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    origin,
    apiCalls,
    close() {
      closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The calls `app`'s handler answered, as `METHOD path status` with the upload id replaced by `:id`. */
export function callsOf(app: TestApp): string[] {
  return app.apiCalls.map(
    ({ method, path, status }) => `${method} ${path.replace(/^\/v1\/uploads\/[^/]+/, '/:id')} ${status}`,
  );
}

function cookie(header: string | null, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at >= 0 && pair.slice(0, at).trim() === name) return decodeURIComponent(pair.slice(at + 1).trim());
  }
  return undefined;
}

/** Serve the files under `root` (GET/HEAD only, nothing outside `root`, JavaScript typed so module workers load). */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const answer = (status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed');
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://test-app.invalid').pathname);
  } catch {
    return answer(400, 'bad path');
  }
  const file = resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
  if (!info?.isFile()) return answer(404, 'not found');
  res.writeHead(200, {
    // Module scripts and workers are refused unless served as JavaScript.
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}
