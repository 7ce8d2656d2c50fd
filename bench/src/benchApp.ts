/**
 * The app the bench page talks to, on one loopback origin: the built page at `/`, the real Tessera handler
 * at `/api/uploads/*`, and the bench-only routes the other contenders need (`/bench/*`). The part size is
 * one mutable setting shared by the handler (its policy) and the bench signer, so every contender of a run
 * cuts the file the same way.
 */
import { createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createNodeListener, createUploadHandler } from '@tessera/server-adapter';
import { type StoreInfo, storeClient } from '../../scripts/swiftStore.js';
import { serveStatic } from '../../tests/support/browserTestApp.js';
import { handlerOptions } from '../../tests/support/uploadServer.js';
import type { BenchConfig } from '../page/pageTypes.js';
import { createBenchSigner } from './benchSigner.js';

export const API_PATH = '/api/uploads';
/** The same handler with `checksumAlgorithm: 'none'`, for the run without checksums. */
export const API_PATH_WITHOUT_CHECKSUMS = '/api/uploads-without-checksums';
const MiB = 1024 * 1024;

export interface BenchApp {
  url: string;
  origin: string;
  /** Part size for the handler's policy and the page's contenders. */
  partSize: number;
  close(): Promise<void>;
}

export async function startBenchApp(store: StoreInfo, pageDir: string): Promise<BenchApp> {
  const root = resolve(pageDir);
  const client = storeClient(store);
  const signer = createBenchSigner(client, store.bucket);
  const app = { partSize: 8 * MiB };
  // 4 GiB as 5 MiB parts is 820 parts; the default 50 GiB limit is fine, the part size is what we pin.
  const authorize = () => ({ userId: 'bench', policy: { preferredPartSize: app.partSize } });
  const listener = createNodeListener(createUploadHandler(handlerOptions(store, { authorize })));
  const listenerWithoutChecksums = createNodeListener(
    createUploadHandler(
      handlerOptions(store, { authorize, checksumAlgorithm: 'none', basePath: API_PATH_WITHOUT_CHECKSUMS }),
    ),
  );
  const mountedAt = (pathname: string, path: string) => pathname === path || pathname.startsWith(`${path}/`);
  const storeUrl = new URL(store.endpoint);

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://bench.invalid');
    if (mountedAt(pathname, API_PATH)) return void listener(req, res);
    if (mountedAt(pathname, API_PATH_WITHOUT_CHECKSUMS)) return void listenerWithoutChecksums(req, res);
    if (pathname.startsWith('/bench/s3/')) return proxyToStore(storeUrl, req, res);
    if (pathname.startsWith('/bench/')) return void benchRoute(pathname, req, res);
    void serveStatic(root, req, res);
  });

  async function benchRoute(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = req.method === 'POST' ? JSON.parse(await readBody(req)) : undefined;
      let answer: unknown;
      if (pathname === '/bench/config') answer = config();
      else if (pathname === '/bench/raw/create') answer = await signer.rawCreate(body);
      else if (pathname === '/bench/raw/complete') answer = await signer.rawComplete(body).then(() => ({ ok: true }));
      else if (pathname === '/bench/sign') answer = { url: sameOriginForStoreCalls(await signer.sign(body), body) };
      else return json(res, 404, { error: `no route ${pathname}` });
      json(res, 200, answer);
    } catch (error) {
      json(res, 500, { error: String(error) });
    }
  }

  // Swift's s3api answers create/complete/list/abort without CORS headers, so Uppy's calls other than part
  // PUTs go through this origin (a same-origin proxy), as they would go straight to a CORS-enabled bucket.
  function sameOriginForStoreCalls(url: string, request: { method: string; partNumber?: number }): string {
    if (request.method === 'PUT') return url;
    const signed = new URL(url);
    return `${origin}/bench/s3${signed.pathname}${signed.search}`;
  }

  function config(): BenchConfig {
    return {
      endpoint: API_PATH,
      endpointWithoutChecksums: API_PATH_WITHOUT_CHECKSUMS,
      partSize: app.partSize,
      store: {
        endpoint: store.endpoint,
        region: store.region,
        bucket: store.bucket,
        accessKeyId: store.accessKeyId,
        secretAccessKey: store.secretAccessKey,
      },
    };
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    origin,
    get partSize() {
      return app.partSize;
    },
    set partSize(value: number) {
      app.partSize = value;
    },
    close() {
      closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
        client.destroy();
      });
      return closing;
    },
  };
}

function proxyToStore(store: URL, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').slice('/bench/s3'.length);
  // The URL was signed for the store's host: present that one.
  const headers = { ...req.headers, host: store.host };
  const upstream = httpRequest(
    { host: store.hostname, port: store.port, method: req.method, path, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) json(res, 502, { error: String(error) });
    else res.destroy();
  });
  req.pipe(upstream);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

