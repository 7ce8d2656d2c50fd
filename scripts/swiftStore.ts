/**
 * The embedded S3-compatible store: a single-node OpenStack Swift with its s3api middleware and tempauth,
 * from Debian's packages, on loopback. Config, rings, data, logs and pid files live under one directory.
 * Used by `npm run store`, `npm run demo` and the integration tests (each on its own free ports).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

export const SWIFT_PACKAGES = [
  'swift',
  'swift-proxy',
  'swift-account',
  'swift-container',
  'swift-object',
  'python3-swift',
  'memcached',
];
export const SWIFT_INSTALL_COMMAND = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${SWIFT_PACKAGES.join(' ')}`;

const SERVICES = ['account', 'container', 'object', 'proxy'] as const;
type Service = (typeof SERVICES)[number];

export interface StorePorts {
  proxy: number;
  account: number;
  container: number;
  object: number;
  memcached: number;
}

export interface SwiftStoreOptions {
  /** Directory for config, rings, data, logs and pid files. */
  dir: string;
  /** Ports; any not given is picked free. */
  ports?: Partial<StorePorts>;
  /** Bucket to create. @default 'tessera' */
  bucket?: string;
  /** Smallest non-last part the store accepts. @default 5 MiB (as AWS) */
  minPartSize?: number;
}

/** What a client needs to reach the store; written to `<dir>/run/store.json`. */
export interface StoreInfo {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  ports: StorePorts;
  pids: Record<string, number>;
  dir: string;
}

export const STORE_CREDENTIALS = { accessKeyId: 'test:tester', secretAccessKey: 'testing' } as const;
const REGION = 'us-east-1';

/** Whether Swift's servers are on this machine. */
export function swiftInstalled(): boolean {
  return ['swift-proxy-server', 'swift-ring-builder', 'memcached'].every((bin) => {
    try {
      execFileSync('which', [bin], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** Install Swift with apt-get when running as root; otherwise explain the one command to run. */
export function ensureSwiftInstalled(log: (line: string) => void = console.log): void {
  if (swiftInstalled()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`OpenStack Swift is not installed. Install it (as root) with:\n  ${SWIFT_INSTALL_COMMAND}`);
  }
  log('Installing OpenStack Swift from Debian packages…');
  execFileSync('bash', ['-c', SWIFT_INSTALL_COMMAND], { stdio: 'inherit' });
}

/** Ports nobody listens on right now (picked by binding port 0 on loopback). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((done, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** Throw when something already listens on `port` (so a second store cannot pass another's healthcheck). */
async function requireFree(port: number): Promise<void> {
  await new Promise<void>((done, fail) => {
    const probe = createServer();
    probe.once('error', () => fail(new Error(`port ${port} is in use; pick another (TESSERA_STORE_PORT)`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

function serverConfig(service: Exclude<Service, 'proxy'>, port: number, paths: StorePaths, user: string): string {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
devices = ${paths.devices}
mount_check = false
swift_dir = ${paths.etc}
log_level = WARNING
${user}
[pipeline:main]
pipeline = ${service}-server

[app:${service}-server]
use = egg:swift#${service}
`;
}

function proxyConfig(ports: StorePorts, minPartSize: number, paths: StorePaths, user: string): string {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${ports.proxy}
workers = 0
swift_dir = ${paths.etc}
log_level = WARNING
${user}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
# One node of each: a server still starting must not be shut out for a minute after ten refused connections.
error_suppression_limit = 1000000
cors_allow_origin = *
cors_expose_headers = etag

[filter:s3api]
use = egg:swift#s3api
location = ${REGION}
max_upload_part_num = 10000
min_segment_size = ${minPartSize}
cors_preflight_allow_origin = *

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${ports.memcached}

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000
# Swift serves segments under 1 MiB at one a second after the tenth: a GET of an object of 2,560 parts of
# 64 KiB (a store started with a lower minPartSize) would take 40 minutes.
rate_limit_under_size = 0
[filter:dlo]
use = egg:swift#dlo
`;
}

interface StorePaths {
  root: string;
  etc: string;
  devices: string;
  run: string;
  info: string;
}

function storePaths(dir: string): StorePaths {
  const root = resolve(dir);
  return {
    root,
    etc: join(root, 'etc'),
    devices: join(root, 'srv'),
    run: join(root, 'run'),
    info: join(root, 'run', 'store.json'),
  };
}

function writeConfig(paths: StorePaths, ports: StorePorts, minPartSize: number, asRoot: boolean): void {
  rmSync(paths.etc, { recursive: true, force: true });
  mkdirSync(paths.etc, { recursive: true });
  mkdirSync(join(paths.devices, 'd1'), { recursive: true });
  mkdirSync(paths.run, { recursive: true });
  // As root the servers drop privileges to Debian's `swift` user; otherwise they run as whoever we are.
  const user = asRoot ? '' : `user = ${userInfo().username}\n`;
  if (asRoot) execFileSync('chown', ['-R', 'swift:swift', paths.devices]);
  for (const service of ['account', 'container', 'object'] as const) {
    writeFileSync(join(paths.etc, `${service}-server.conf`), serverConfig(service, ports[service], paths, user));
  }
  writeFileSync(join(paths.etc, 'proxy-server.conf'), proxyConfig(ports, minPartSize, paths, user));
  // Rings must exist before any server starts; one device, one replica.
  for (const service of ['account', 'container', 'object'] as const) {
    const builder = join(paths.etc, `${service}.builder`);
    execFileSync('swift-ring-builder', [builder, 'create', '10', '1', '1'], { stdio: 'ignore' });
    execFileSync('swift-ring-builder', [builder, 'add', `r1z1-127.0.0.1:${ports[service]}/d1`, '100'], {
      stdio: 'ignore',
    });
    try {
      execFileSync('swift-ring-builder', [builder, 'rebalance'], { stdio: 'ignore' });
    } catch {
      // exit status 1 is a warning about a one-device ring; the ring is written
    }
  }
}

function launch(command: string, args: string[], logFile: string): number {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return child.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Poll `check` until it answers true, waiting 100 ms, then longer (×1.5, at most 2 s) between tries: a loaded
 * machine gets time, and a server that is still starting is not flooded.
 */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logs: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let pause = 100;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(2_000, pause * 1.5);
  }
  const why = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s${why} (logs in ${logs})`, { cause: lastError });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` (no request is sent). */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Whether every process the store started is still running; throws naming the first that exited. */
function requireAlive(pids: Record<string, number>): void {
  for (const [name, pid] of Object.entries(pids)) {
    if (!alive(pid)) throw new Error(`the store's ${name} process exited`);
  }
}

/** A client for the store, with the settings a local path-style store needs. */
export function storeClient(
  info: Pick<StoreInfo, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>,
): S3Client {
  return new S3Client({
    endpoint: info.endpoint,
    region: info.region,
    forcePathStyle: true,
    credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Start a store in `options.dir` and return once its healthcheck answers and the bucket exists.
 * Stop it with {@link stopSwiftStore}, which kills exactly the processes started here.
 */
export async function startSwiftStore(options: SwiftStoreOptions): Promise<StoreInfo> {
  ensureSwiftInstalled();
  const paths = storePaths(options.dir);
  if (existsSync(paths.info)) {
    const previous = JSON.parse(readFileSync(paths.info, 'utf8')) as StoreInfo;
    if (Object.values(previous.pids).some(alive)) {
      throw new Error(`a store is already running from ${paths.root} at ${previous.endpoint} (stop it first)`);
    }
  }
  const picked = await freePorts(5);
  const ports: StorePorts = {
    proxy: options.ports?.proxy ?? (picked[0] as number),
    account: options.ports?.account ?? (picked[1] as number),
    container: options.ports?.container ?? (picked[2] as number),
    object: options.ports?.object ?? (picked[3] as number),
    memcached: options.ports?.memcached ?? (picked[4] as number),
  };
  for (const port of Object.values(ports)) await requireFree(port);
  const asRoot = process.getuid?.() === 0;
  writeConfig(paths, ports, options.minPartSize ?? 5 * 1024 * 1024, asRoot);

  const pids: Record<string, number> = {};
  const memcachedArgs = ['-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0', '-m', '64'];
  pids.memcached = launch(
    'memcached',
    asRoot ? [...memcachedArgs, '-u', 'memcache'] : memcachedArgs,
    join(paths.run, 'memcached.log'),
  );
  for (const service of SERVICES) {
    pids[service] = launch(
      `swift-${service}-server`,
      [join(paths.etc, `${service}-server.conf`), '-v'],
      join(paths.run, `${service}.log`),
    );
  }
  const info: StoreInfo = {
    endpoint: `http://127.0.0.1:${ports.proxy}`,
    region: REGION,
    bucket: options.bucket ?? 'tessera',
    ...STORE_CREDENTIALS,
    ports,
    pids,
    dir: paths.root,
  };
  writeFileSync(paths.info, `${JSON.stringify(info, null, 2)}\n`);

  try {
    // Every server listens before the proxy is asked anything: a request to a server still starting counts as
    // its error, and probing through the proxy too early is what used to time out on a loaded machine.
    for (const service of [...SERVICES, 'memcached'] as const) {
      const port = ports[service];
      await waitFor(`the store's ${service} server (port ${port})`, async () => {
        requireAlive(pids);
        return listening(port);
      }, 60_000, paths.run);
    }
    await waitFor(
      'the Swift proxy healthcheck',
      async () => (await fetch(`${info.endpoint}/healthcheck`)).status === 200,
      60_000,
      paths.run,
    );
    const client = storeClient(info);
    // The account and container servers may still be opening their databases: retry until the bucket exists.
    await waitFor(
      `bucket ${info.bucket}`,
      async () => {
        try {
          await client.send(new HeadBucketCommand({ Bucket: info.bucket }));
          return true;
        } catch {
          await client.send(new CreateBucketCommand({ Bucket: info.bucket }));
          return true;
        }
      },
      60_000,
      paths.run,
    );
    client.destroy();
  } catch (error) {
    await stopSwiftStore(options.dir);
    throw error;
  }
  return info;
}

/** Read the running store's connection info, or `undefined` when none was started from `dir`. */
export function readStoreInfo(dir: string): StoreInfo | undefined {
  const { info } = storePaths(dir);
  return existsSync(info) ? (JSON.parse(readFileSync(info, 'utf8')) as StoreInfo) : undefined;
}

/** Stop the processes a {@link startSwiftStore} in `dir` started (by pid): TERM, then KILL after 5 s. */
export async function stopSwiftStore(dir: string): Promise<number[]> {
  const info = readStoreInfo(dir);
  if (!info) return [];
  const pids = Object.values(info.pids);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  rmSync(storePaths(dir).info, { force: true });
  return pids;
}
