import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { TesseraError } from '@tessera/core';
import { errorResponse } from './http.js';
import type { UploadHandler } from './router.js';

// A host name, an IPv4 address or a bracketed IPv6 address, and an optional port 1–65535.
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;
// Methods fetch's Request refuses to carry (CONNECT, TRACE, TRACK): answered here, before one is built.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

function badRequest(message: string): TesseraError {
  return new TesseraError('invalid-request', message);
}

/** The web-standard Request for a Node request, or a `TesseraError` saying why there cannot be one. */
function toRequest(incoming: IncomingMessage, signal: AbortSignal): Request {
  const method = incoming.method ?? 'GET';
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    throw new TesseraError('method-not-allowed', `${method} is not allowed`);
  }
  const host = incoming.headers.host ?? 'localhost';
  const port = HOST.exec(host)?.[1];
  if (!HOST.test(host) || (port !== undefined && (Number(port) < 1 || Number(port) > 65_535))) {
    throw badRequest('the Host header is not a valid host');
  }
  const target = incoming.url ?? '/';
  let url: URL;
  try {
    // Absolute-form targets (`GET http://x/y`) are read for their path only: the Host header names the host.
    const absolute = target.startsWith('/') ? null : new URL(target);
    url = new URL(`http://${host}${absolute ? absolute.pathname + absolute.search : target}`);
  } catch {
    throw badRequest('the request target is not a valid path');
  }
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
  } catch {
    throw badRequest('a request header is malformed');
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM types do not know it yet
    duplex: 'half',
  });
}

/**
 * Serve a web-standard handler from Node's `http` module (or Express, Fastify's raw mode, …). Nothing a
 * client sends can end the process or leave a request hanging: a request that cannot be read (a forbidden
 * method such as TRACE, a malformed Host or target) gets its 4xx answer here, a client that goes away
 * aborts `request.signal` and is not reported as an error, and a body the handler refused unread closes
 * the connection after the answer. Node's own server answers what never parses as HTTP (400, 431 for
 * oversized headers) and bounds header time (`headersTimeout`, 60 s by default); the handler bounds body
 * time (`bodyTimeoutMs`).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(createNodeListener(createUploadHandler(options))).listen(3000);
 * ```
 */
export function createNodeListener(
  handler: UploadHandler,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (incoming, outgoing) => {
    // A socket error after the client left must never become an uncaught 'error' event.
    incoming.on('error', () => {});
    outgoing.on('error', () => {});
    const controller = new AbortController();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) controller.abort(new TesseraError('client-closed', 'the client went away'));
    });
    try {
      let response: Response;
      try {
        response = await handler(toRequest(incoming, controller.signal));
      } catch (error) {
        response = errorResponse(error instanceof TesseraError ? error : badRequest('the request could not be read'));
      }
      const body = Buffer.from(await response.arrayBuffer());
      if (outgoing.destroyed) return;
      const headers = Object.fromEntries(response.headers);
      // A body the handler refused unread (e.g. too large) would corrupt the next request on this socket.
      if (incoming.method !== 'GET' && incoming.method !== 'HEAD' && !incoming.complete) headers.connection = 'close';
      outgoing.writeHead(response.status, headers);
      outgoing.end(body);
    } catch (error) {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
