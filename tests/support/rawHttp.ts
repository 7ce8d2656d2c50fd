/**
 * HTTP/1.1 by hand over a `node:net` socket, for requests no HTTP client would send: broken request lines,
 * bad framing, bodies cut short or trickled. Every exchange is bounded by a deadline, and tells apart an
 * answer, a connection the server closed, and a server that did neither (a hang).
 */
import { connect } from 'node:net';

/** One thing the client does, in order. */
export type RawStep =
  /** Write these bytes (a string is sent as latin1, one byte per character). */
  | string
  | Uint8Array
  /** Wait, for cases about time (trickled bodies). */
  | { pauseMs: number }
  /** Half-close (FIN): the client is done sending, and keeps reading. */
  | { end: true }
  /** Close the connection at once, without waiting for an answer (a client that leaves). */
  | { destroy: true }
  /** Abort the connection with a TCP RST. */
  | { reset: true };

export interface RawResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

export interface RawOutcome {
  /** Complete answers, in order (interim 1xx answers left out). */
  responses: RawResponse[];
  /** The server closed the connection (FIN or RST). */
  serverClosed: boolean;
  /** The client closed it (a `destroy` or `reset` step, or after the expected answers). */
  clientClosed: boolean;
  /** Neither the expected answers nor a close came before the deadline. */
  timedOut: boolean;
  /** A socket error the client saw (ECONNRESET, EPIPE), if any. */
  socketError: string | null;
  /** Bytes received after the last complete answer (an answer cut short), as latin1. */
  leftover: string;
  elapsedMs: number;
}

export interface RawExchangeOptions {
  /** Answers to wait for before closing. @default 1 */
  responses?: number;
  /** Deadline for the whole exchange. */
  timeoutMs: number;
  /** The requests are HEAD requests: answers have no body. */
  head?: boolean;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Parse as many complete answers as `buffer` holds; a body without framing ends only with the connection. */
function parseResponses(buffer: Buffer, closed: boolean, head: boolean): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let rest = buffer;
  for (;;) {
    const headerEnd = rest.indexOf(HEADER_END);
    if (headerEnd < 0) break;
    const [statusLine = '', ...headerLines] = rest.subarray(0, headerEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    let body = rest.subarray(headerEnd + 4);
    let consumed: number;
    let text: string;
    if ((status >= 100 && status < 200) || status === 204 || status === 304 || head) {
      text = '';
      consumed = 0;
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const decoded: Buffer[] = [];
      let offset = 0;
      let complete = false;
      for (;;) {
        const lineEnd = body.indexOf('\r\n', offset);
        if (lineEnd < 0) break;
        const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
        if (!Number.isInteger(size)) throw new Error('malformed chunked answer');
        if (size === 0) {
          const trailerEnd = body.indexOf('\r\n', lineEnd + 2);
          if (trailerEnd < 0) break;
          offset = trailerEnd + 2;
          complete = true;
          break;
        }
        if (body.length < lineEnd + 2 + size + 2) break;
        decoded.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
        offset = lineEnd + 2 + size + 2;
      }
      if (!complete) break;
      text = Buffer.concat(decoded).toString('utf8');
      consumed = offset;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (body.length < length) break;
      text = body.subarray(0, length).toString('utf8');
      consumed = length;
    } else {
      if (!closed) break;
      text = body.toString('utf8');
      consumed = body.length;
    }
    body = body.subarray(consumed);
    rest = body;
    if (status >= 200) responses.push({ status, headers, body: text });
  }
  return { responses, rest };
}

/** Connect to 127.0.0.1:`port`, run `steps`, and collect what the server answers until the deadline. */
export function rawExchange(port: number, steps: readonly RawStep[], options: RawExchangeOptions): Promise<RawOutcome> {
  const expected = options.responses ?? 1;
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received: Buffer = Buffer.alloc(0);
    let responses: RawResponse[] = [];
    let leftover: Buffer = Buffer.alloc(0);
    let serverClosed = false;
    let clientClosed = false;
    let socketError: string | null = null;
    let settled = false;
    let parseError: string | null = null;

    const reparse = (closed: boolean) => {
      try {
        const parsed = parseResponses(received, closed, options.head ?? false);
        responses = parsed.responses;
        leftover = parsed.rest;
      } catch (error) {
        parseError = String(error);
      }
    };
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (!socket.destroyed) {
        clientClosed = true;
        socket.destroy();
      }
      resolve({
        responses,
        serverClosed,
        clientClosed,
        timedOut,
        socketError: socketError ?? parseError,
        leftover: leftover.toString('latin1'),
        elapsedMs: Math.round(performance.now() - started),
      });
    };
    const deadline = setTimeout(() => finish(true), options.timeoutMs);

    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      reparse(false);
      if (responses.length >= expected) finish(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      socketError ??= error.code ?? error.message;
    });
    socket.on('end', () => {
      serverClosed = true;
      reparse(true);
      finish(false);
    });
    socket.on('close', () => {
      if (!clientClosed) serverClosed = true;
      reparse(true);
      finish(false);
    });

    const run = async () => {
      await new Promise<void>((connected, failed) => {
        socket.once('connect', connected);
        socket.once('error', failed);
      });
      for (const step of steps) {
        if (settled || socket.destroyed) return;
        if (typeof step === 'string' || step instanceof Uint8Array) {
          const bytes = typeof step === 'string' ? Buffer.from(step, 'latin1') : step;
          // Resolves once written, or once the write failed (the server closed the connection).
          await new Promise<void>((written) => socket.write(bytes, () => written()));
        } else if ('pauseMs' in step) {
          await new Promise((done) => setTimeout(done, step.pauseMs));
        } else if ('end' in step) {
          socket.end();
        } else {
          clientClosed = true;
          if ('reset' in step) socket.resetAndDestroy();
          else socket.destroy();
          finish(false);
          return;
        }
      }
    };
    run().catch((error: unknown) => {
      socketError ??= String(error);
      finish(false);
    });
  });
}
