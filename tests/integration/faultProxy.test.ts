import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from '../support/faultProxy.js';

const MiB = 2 ** 20;
const PART_PATH = '/tessera/uploads/video.mp4?partNumber=3&uploadId=abc123&X-Amz-Signature=deadbeef';

/** What the fake store saw of one request; `bytes` grows while the body streams in. */
interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  bytes: number;
  complete: boolean;
  sha256?: string;
}

interface Upstream {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A tiny S3-like store: records bodies, answers part PUTs 200 with an ETag and CORS headers. */
async function startUpstream(): Promise<Upstream> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const record: Received = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      bytes: 0,
      complete: false,
    };
    received.push(record);
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    req.on('data', (chunk: Buffer) => {
      record.bytes += chunk.length;
      sha256.update(chunk);
      md5.update(chunk);
    });
    req.on('end', () => {
      record.complete = true;
      record.sha256 = sha256.digest('hex');
      const cors = {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-expose-headers': 'ETag',
      };
      if (req.method === 'OPTIONS') {
        res.writeHead(200, { ...cors, 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': '*' });
        res.end();
      } else if (req.method === 'GET') {
        res.writeHead(200, { ...cors, 'content-type': 'text/plain' });
        res.end('object body');
      } else {
        res.writeHead(200, { ...cors, etag: `"${md5.digest('hex')}"`, 'x-amz-request-id': 'upstream-1' });
        res.end();
      }
    });
  });
  const url = await listen(server);
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '');
    });
  });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface SendOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Client-side stall detection: give up when no answer arrives in time. */
  timeoutMs?: number;
}

/** One request on a fresh connection; rejects with the socket error (`code`) or `CLIENT_TIMEOUT`. */
function send(baseUrl: string, { method = 'PUT', path = PART_PATH, headers = {}, body, timeoutMs }: SendOptions) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (timeoutMs !== undefined) {
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
      );
    }
    req.end(body);
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const RESET = /^(ECONNRESET|EPIPE)$/;

describe('startFaultProxy', () => {
  let upstream: Upstream;
  const proxies: FaultProxy[] = [];
  const startProxy = async (options: Partial<FaultProxyOptions> = {}) => {
    const proxy = await startFaultProxy({ target: upstream.url, ...options });
    proxies.push(proxy);
    return proxy;
  };

  beforeEach(async () => {
    upstream = await startUpstream();
  });
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    await upstream.close();
  });

  it('forwards a 10 MiB part intact with method, path, headers and Host unchanged', async () => {
    const proxy = await startProxy({ faultRate: 0 });
    const body = randomBytes(10 * MiB);
    const contentMd5 = createHash('md5').update(body).digest('base64');
    const answer = await send(proxy.url, {
      body,
      headers: { 'Content-MD5': contentMd5, 'Content-Type': 'video/mp4', Origin: 'http://localhost:3000' },
    });

    expect(answer.status).toBe(200);
    expect(answer.headers.etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(answer.headers['access-control-expose-headers']).toBe('ETag');
    expect(answer.headers['x-amz-request-id']).toBe('upstream-1');
    const [seen] = upstream.received;
    expect(seen).toMatchObject({ method: 'PUT', url: PART_PATH, bytes: body.length, sha256: sha256(body) });
    expect(seen?.rawHeaders).toEqual([
      'Content-MD5',
      contentMd5,
      'Content-Type',
      'video/mp4',
      'Origin',
      'http://localhost:3000',
      'Host',
      `127.0.0.1:${proxy.port}`,
      'Connection',
      'close',
      'Content-Length',
      String(body.length),
    ]);
    expect(proxy.stats()).toMatchObject({ requests: 1, faultable: 1, totalFaults: 0 });
    expect(proxy.stats().bytesForwarded).toBeGreaterThanOrEqual(body.length);
  });

  it('streams the request body to the store before the client has finished sending it', async () => {
    const proxy = await startProxy({ faultRate: 0 });
    const first = randomBytes(MiB);
    const rest = randomBytes(3 * MiB);
    const req = request(`${proxy.url}${PART_PATH}`, {
      method: 'PUT',
      headers: { 'content-length': String(4 * MiB) },
      agent: false,
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => resolve(res.resume().statusCode ?? 0));
      req.on('error', reject);
    });
    req.write(first);
    await expect.poll(() => upstream.received[0]?.bytes ?? 0).toBeGreaterThan(0);
    expect(upstream.received[0]?.complete).toBe(false);
    req.end(rest);

    expect(await answered).toBe(200);
    expect(upstream.received[0]?.sha256).toBe(sha256(Buffer.concat([first, rest])));
  });

  it('passes CORS preflights through', async () => {
    const proxy = await startProxy({ faultRate: 1 });
    const answer = await send(proxy.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-methods']).toBe('PUT');
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it.each([
    { kind: 'status-500', status: 500, code: 'InternalError' },
    { kind: 'status-503', status: 503, code: 'ServiceUnavailable' },
  ] as const)('answers $kind with an S3 XML error without contacting the store', async ({ kind, status, code }) => {
    const proxy = await startProxy({ faultRate: 1, kinds: [kind] });
    const withOrigin = await send(proxy.url, { body: randomBytes(MiB), headers: { Origin: 'http://localhost:3000' } });
    const withoutOrigin = await send(proxy.url, { body: randomBytes(1024) });

    expect(withOrigin.status).toBe(status);
    expect(withOrigin.headers['content-type']).toBe('application/xml');
    expect(withOrigin.body).toContain(`<Error><Code>${code}</Code>`);
    expect(withOrigin.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(withoutOrigin.status).toBe(status);
    expect(withoutOrigin.headers['access-control-allow-origin']).toBe('*');
    expect(upstream.received).toEqual([]);
    expect(proxy.stats().faults[kind]).toBe(2);
  });

  it('resets both sockets about halfway through the body on reset-mid-body', async () => {
    const proxy = await startProxy({ faultRate: 1, kinds: ['reset-mid-body'] });
    const body = randomBytes(8 * MiB);

    await expect(send(proxy.url, { body })).rejects.toMatchObject({ code: expect.stringMatching(RESET) });
    await expect.poll(() => upstream.received[0]?.bytes ?? 0).toBeGreaterThan(0);
    const [seen] = upstream.received;
    expect(seen?.complete).toBe(false);
    expect(seen?.bytes).toBeLessThanOrEqual(body.length / 2);
    expect(proxy.stats().faults['reset-mid-body']).toBe(1);
  });

  it('lets the part land but never answers on reset-before-response', async () => {
    const proxy = await startProxy({ faultRate: 1, kinds: ['reset-before-response'] });
    const body = randomBytes(2 * MiB);

    await expect(send(proxy.url, { body })).rejects.toMatchObject({ code: expect.stringMatching(RESET) });
    expect(upstream.received[0]).toMatchObject({ complete: true, sha256: sha256(body) });
  });

  it('holds a stalled request until the client times out, then drops it after stallMs', async () => {
    const proxy = await startProxy({ faultRate: 1, kinds: ['stall'], stallMs: 200 });

    await expect(send(proxy.url, { body: randomBytes(1024), timeoutMs: 50 })).rejects.toMatchObject({
      code: 'CLIENT_TIMEOUT',
    });
    const started = performance.now();
    await expect(send(proxy.url, { body: randomBytes(1024) })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(upstream.received).toEqual([]);
    expect(proxy.stats().faults.stall).toBe(2);
  });

  it('never faults requests that are not part uploads', async () => {
    const proxy = await startProxy({ faultRate: 1, kinds: ['status-500'] });
    const answers = await Promise.all([
      send(proxy.url, { method: 'GET', path: '/tessera/video.mp4?partNumber=1' }),
      send(proxy.url, { path: '/tessera/video.mp4', body: randomBytes(1024) }),
      send(proxy.url, { method: 'POST', path: '/tessera/video.mp4?uploads' }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers[0]?.body).toBe('object body');
    expect(proxy.stats()).toMatchObject({ requests: 3, faultable: 0, totalFaults: 0 });
    expect((await send(proxy.url, { body: randomBytes(1024) })).status).toBe(500);
    expect(proxy.stats()).toMatchObject({ requests: 4, faultable: 1, totalFaults: 1 });
  });

  it('honours a custom isFaultable and an injected random', async () => {
    const proxy = await startProxy({
      isFaultable: ({ method }) => method === 'GET',
      random: () => 0.99,
      faultRate: 0.995,
      kinds: ['status-500', 'status-503'],
    });
    expect((await send(proxy.url, { method: 'GET', path: '/x' })).status).toBe(503);
    expect((await send(proxy.url, { body: randomBytes(16) })).status).toBe(200);
  });

  it('fails about the requested fraction of parts, replayably from a seed', async () => {
    const run = async () => {
      const proxy = await startProxy({ faultRate: 0.25, kinds: ['status-500', 'status-503'], seed: 42 });
      const statuses: number[] = [];
      for (let part = 1; part <= 200; part++) {
        const answer = await send(proxy.url, {
          path: `/tessera/key?partNumber=${part}&uploadId=u`,
          body: randomBytes(64),
        });
        statuses.push(answer.status);
      }
      return { statuses, stats: proxy.stats() };
    };
    const first = await run();
    const failed = first.statuses.filter((status) => status !== 200).length;

    expect(failed).toBe(first.stats.totalFaults);
    expect(failed).toBeGreaterThanOrEqual(35);
    expect(failed).toBeLessThanOrEqual(65);
    expect(first.stats.faults['status-500']).toBeGreaterThan(0);
    expect(first.stats.faults['status-503']).toBeGreaterThan(0);
    expect(upstream.received).toHaveLength(200 - failed);
    expect((await run()).statuses).toEqual(first.statuses);
  });

  it('refuses connections while offline and recovers when back online', async () => {
    const proxy = await startProxy({ faultRate: 0 });
    proxy.setOffline(true);
    await expect(send(proxy.url, { body: randomBytes(1024) })).rejects.toMatchObject({
      code: expect.stringMatching(RESET),
    });
    expect(proxy.stats().requests).toBe(0);

    proxy.setOffline(false);
    expect((await send(proxy.url, { body: randomBytes(1024) })).status).toBe(200);
  });

  it('drops open requests when going offline', async () => {
    const proxy = await startProxy({ faultRate: 1, kinds: ['stall'] });
    const pending = send(proxy.url, { body: randomBytes(1024) });
    await expect.poll(() => proxy.stats().faults.stall).toBe(1);
    proxy.setOffline(true);
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('answers 502 when the store cannot be reached', async () => {
    const gone = await startUpstream();
    await gone.close();
    const proxy = await startFaultProxy({ target: gone.url, faultRate: 0 });
    proxies.push(proxy);

    const answer = await send(proxy.url, { body: randomBytes(1024) }).catch((error: unknown) => error);
    // The client may still be writing its body when the 502 arrives; either outcome means "store unreachable".
    if (answer instanceof Error) expect(answer).toMatchObject({ code: expect.stringMatching(RESET) });
    else expect(answer).toMatchObject({ status: 502, body: expect.stringContaining('<Code>BadGateway</Code>') });
  });

  it('closes promptly while a request is stalled', async () => {
    const proxy = await startProxy({ faultRate: 1, kinds: ['stall'] }); // stallMs defaults to 30 s
    const pending = send(proxy.url, { body: randomBytes(1024) });
    await expect.poll(() => proxy.stats().faults.stall).toBe(1);

    const started = performance.now();
    await proxy.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
    await proxy.close(); // idempotent
  });

  it('rejects invalid options', async () => {
    await expect(startFaultProxy({ target: upstream.url, faultRate: 1.5 })).rejects.toThrow(RangeError);
    await expect(startFaultProxy({ target: upstream.url, kinds: [] })).rejects.toThrow(RangeError);
    await expect(startFaultProxy({ target: 'https://127.0.0.1:1' })).rejects.toThrow(TypeError);
  });
});
