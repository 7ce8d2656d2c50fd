import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { UploadHandler } from './router.js';

/**
 * Serve a web-standard handler from Node's `http` module (or Express, Fastify's raw mode, …).
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
    const host = incoming.headers.host ?? 'localhost';
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
    const request = new Request(new URL(incoming.url ?? '/', `http://${host}`), {
      method: incoming.method ?? 'GET',
      headers,
      body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null,
      // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM types do not know it yet
      duplex: 'half',
    });
    try {
      const response = await handler(request);
      const headers = Object.fromEntries(response.headers);
      // A body the handler refused unread (e.g. too large) would corrupt the next request on this socket.
      if (hasBody && !incoming.complete) headers.connection = 'close';
      outgoing.writeHead(response.status, headers);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
