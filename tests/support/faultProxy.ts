/**
 * A fault-injecting HTTP proxy for integration tests. It sits between an upload client and the S3-compatible
 * store and makes a chosen fraction of part uploads fail the way real networks do (resets, 5xx answers,
 * stalls), so the engine's retry logic meets real failures instead of mocks. Everything else passes through
 * untouched and streamed: method, path and query, every header including `Host` (a presigned signature
 * covers the host the client used, which is this proxy), status and response headers (ETag, CORS).
 */
import { Agent, type ClientRequest, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A way a request can fail. `'status-429'` (Too Many Requests with a `Retry-After`) is what a rate limiter in
 * front of an app server answers; it is never chosen unless `kinds` names it.
 */
export type FaultKind = 'reset-mid-body' | 'status-500' | 'status-503' | 'stall' | 'reset-before-response' | 'status-429';

/** The default fault kinds, in a stable order (`'status-429'` is not among them). */
export const FAULT_KINDS: readonly FaultKind[] = [
  'reset-mid-body',
  'status-500',
  'status-503',
  'stall',
  'reset-before-response',
];

/** Options for {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Origin of the store to forward to, e.g. `'http://127.0.0.1:9000'`; only `http:` and only the origin are used. */
  target: string;
  /**
   * Fraction of faultable requests to fail, from 0 to 1.
   * @default 0.25
   */
  faultRate?: number;
  /**
   * Kinds to choose from (uniformly) when a request is to fail.
   * @default FAULT_KINDS
   */
  kinds?: readonly FaultKind[];
  /**
   * Source of randomness in [0, 1); two draws per faultable request (fail?, then which kind).
   * @default a mulberry32 generator seeded with `seed`
   */
  random?: () => number;
  /**
   * Seed of the default generator, so a failing run can be replayed.
   * @default 0x5eed
   */
  seed?: number;
  /**
   * How long a `'stall'` holds a request (body read, no answer) before destroying the socket; the client's
   * own stall detection should fire first.
   * @default 30_000
   */
  stallMs?: number;
  /**
   * Which requests may be faulted.
   * @default PUT requests with `partNumber` in the query (presigned UploadPart)
   */
  isFaultable?: (req: { method: string; url: string }) => boolean;
  /**
   * The `Retry-After` (seconds) of a `'status-429'` answer.
   * @default 1
   */
  retryAfterSeconds?: number;
}

/** Counters since the proxy started. */
export interface FaultProxyStats {
  /** Requests received (connections refused while offline are not requests). */
  requests: number;
  /** Requests that `isFaultable` accepted, faulted or not. */
  faultable: number;
  faults: Record<FaultKind, number>;
  totalFaults: number;
  /** Body bytes passed through, request bodies to the store plus response bodies back. */
  bytesForwarded: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it as the store endpoint when presigning, so the signed Host matches. */
  url: string;
  port: number;
  stats(): FaultProxyStats;
  /** While offline, every new connection is destroyed on arrival; going offline also destroys open ones. */
  setOffline(offline: boolean): void;
  /** Closes the server and destroys every socket it holds, stalled ones included. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a fault-injecting proxy on 127.0.0.1 and a free port.
 * @example
 * const proxy = await startFaultProxy({ target: store.endpoint, faultRate: 0.3, seed: 7 });
 * const uploader = createUploader({ endpoint: proxy.url });
 * // ... upload, then check proxy.stats().totalFaults > 0
 * await proxy.close();
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new TypeError(`fault proxy target must be http:, got ${target.protocol}`);
  const faultRate = options.faultRate ?? 0.25;
  if (!(faultRate >= 0 && faultRate <= 1)) throw new RangeError(`faultRate must be within [0, 1], got ${faultRate}`);
  const kinds = options.kinds ?? FAULT_KINDS;
  if (kinds.length === 0) throw new RangeError('kinds must name at least one fault kind');
  const random = options.random ?? mulberry32(options.seed ?? 0x5eed);
  const stallMs = options.stallMs ?? 30_000;
  const isFaultable = options.isFaultable ?? isPartUpload;

  const upstreamAgent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const stallTimers = new Set<NodeJS.Timeout>();
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const faults = Object.fromEntries([...FAULT_KINDS, 'status-429'].map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const counts = { requests: 0, faultable: 0, bytesForwarded: 0 };
  let offline = false;
  let closing: Promise<void> | undefined;

  function chooseFault(method: string, url: string): FaultKind | undefined {
    if (!isFaultable({ method, url })) return undefined;
    counts.faultable++;
    if (random() >= faultRate) return undefined;
    return kinds[Math.min(kinds.length - 1, Math.floor(random() * kinds.length))];
  }

  function stall(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const timer = setTimeout(() => req.socket.destroy(), stallMs);
    stallTimers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      stallTimers.delete(timer);
    });
  }

  function forward(req: IncomingMessage, res: ServerResponse, fault?: 'reset-mid-body' | 'reset-before-response') {
    let cut = false;
    const resetBoth = () => {
      cut = true;
      upstream.destroy();
      req.socket.destroy();
    };
    const upstream: ClientRequest = request({
      hostname: target.hostname,
      port: target.port || 80,
      method: req.method,
      path: req.url,
      headers: req.rawHeaders, // the raw array keeps every header, Host included, exactly as received
      agent: upstreamAgent,
    });
    upstream.on('response', (upstreamRes) => {
      if (fault === 'reset-before-response') {
        // The store has taken the part; the client never hears so and must retry idempotently.
        upstreamRes.resume();
        req.socket.destroy();
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, upstreamRes.rawHeaders);
      upstreamRes.on('data', (chunk: Buffer) => {
        counts.bytesForwarded += chunk.length;
      });
      upstreamRes.on('close', () => {
        if (!upstreamRes.complete) res.destroy();
      });
      upstreamRes.pipe(res);
    });
    upstream.on('error', () => {
      if (res.writableFinished || res.destroyed) return;
      if (cut || res.headersSent) req.socket.destroy();
      else answerWithError(req, res, 502);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });

    const length = Number(req.headers['content-length']);
    // Unknown length (chunked): cut after the first chunk, the best guess at "partway".
    const cutAfter =
      fault !== 'reset-mid-body'
        ? Number.POSITIVE_INFINITY
        : Number.isFinite(length)
          ? Math.floor(length / 2)
          : undefined;
    pumpBody(req, upstream, cutAfter, resetBoth);
  }

  function pumpBody(req: IncomingMessage, upstream: ClientRequest, cutAfter: number | undefined, onCut: () => void) {
    if (cutAfter === 0) return onCut();
    let sent = 0;
    let cutting = false;
    req.on('data', (chunk: Buffer) => {
      if (cutting) return;
      const limit = cutAfter ?? sent + chunk.length;
      if (sent + chunk.length >= limit) {
        cutting = true;
        req.pause();
        const head = chunk.subarray(0, limit - sent);
        counts.bytesForwarded += head.length;
        // Cut once the first half has actually left for the store, not merely been queued.
        upstream.write(head, () => onCut());
        return;
      }
      sent += chunk.length;
      counts.bytesForwarded += chunk.length;
      if (!upstream.write(chunk)) {
        req.pause();
        upstream.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      if (!cutting) upstream.end();
    });
  }

  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    counts.requests++;
    const fault = chooseFault(req.method ?? '', req.url ?? '');
    if (fault !== undefined) faults[fault]++;
    if (fault === 'status-500' || fault === 'status-503' || fault === 'status-429') {
      const status = fault === 'status-500' ? 500 : fault === 'status-503' ? 503 : 429;
      req.resume();
      req.once('end', () => answerWithError(req, res, status, retryAfterSeconds));
    } else if (fault === 'stall') stall(req, res);
    else forward(req, res, fault);
  });
  server.on('connection', (socket: Socket) => {
    if (offline) return socket.destroy();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no TCP address');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({
      ...counts,
      faults: { ...faults },
      totalFaults: Object.values(faults).reduce((sum, count) => sum + count, 0),
    }),
    setOffline(value) {
      offline = value;
      if (value) for (const socket of sockets) socket.destroy();
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const timer of stallTimers) clearTimeout(timer);
        stallTimers.clear();
        for (const socket of sockets) socket.destroy();
        upstreamAgent.destroy();
      });
      return closing;
    },
  };
}

const ERROR_BODIES: Record<number, { code: string; message: string }> = {
  500: { code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  502: { code: 'BadGateway', message: 'The fault proxy could not reach the store.' },
  503: { code: 'ServiceUnavailable', message: 'Please reduce your request rate.' },
  429: { code: 'SlowDown', message: 'Too many requests; retry after the time in Retry-After.' },
};

let errorSequence = 0;

/** An S3-style XML error a browser can read: CORS allows the request's origin (or any). */
function answerWithError(
  req: IncomingMessage,
  res: ServerResponse,
  status: 429 | 500 | 502 | 503,
  retryAfterSeconds = 1,
): void {
  const { code, message } = ERROR_BODIES[status] ?? { code: 'InternalError', message: '' };
  const requestId = `fault-proxy-${++errorSequence}`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
  const origin = req.headers.origin;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    'access-control-allow-origin': origin ?? '*',
    'access-control-expose-headers': 'ETag, x-amz-request-id',
    ...(origin === undefined ? {} : { vary: 'Origin' }),
    ...(status === 429 ? { 'retry-after': String(retryAfterSeconds) } : {}),
    // An unread body may still be arriving (502 mid-upload), so this connection cannot be reused.
    ...(status === 502 ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function isPartUpload({ method, url }: { method: string; url: string }): boolean {
  return method === 'PUT' && new URL(url, 'http://fault-proxy.invalid').searchParams.has('partNumber');
}

/** A small seeded PRNG (mulberry32) so a run's faults can be replayed: numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
