import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where the demo's store is; `npm run demo` starts it and passes these values in the environment. */
export interface DemoStore {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The environment variables the app reads (all optional; see {@link demoStore} and {@link demoSecret}). */
export const DEMO_ENV = {
  storeEndpoint: 'TESSERA_STORE_ENDPOINT',
  storeRegion: 'TESSERA_STORE_REGION',
  storeBucket: 'TESSERA_STORE_BUCKET',
  storeAccessKeyId: 'TESSERA_STORE_ACCESS_KEY_ID',
  storeSecretAccessKey: 'TESSERA_STORE_SECRET_ACCESS_KEY',
  storeDir: 'TESSERA_STORE_DIR',
  secret: 'TESSERA_DEMO_SECRET',
} as const;

/** The store `npm run demo` starts, relative to the repository root. */
export const DEMO_STORE_DIR = '.store/demo';

// `next start` runs in apps/demo; the scripts run at the repository root.
function repositoryPath(path: string): string {
  const root = existsSync(join(process.cwd(), 'apps', 'demo')) ? process.cwd() : resolve(process.cwd(), '..', '..');
  return resolve(root, path);
}

/** The store as `{@link DemoStore}` fields in the environment, `undefined` when they are not all there. */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): DemoStore | undefined {
  const endpoint = env[DEMO_ENV.storeEndpoint];
  const bucket = env[DEMO_ENV.storeBucket];
  const accessKeyId = env[DEMO_ENV.storeAccessKeyId];
  const secretAccessKey = env[DEMO_ENV.storeSecretAccessKey];
  if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) return undefined;
  return { endpoint, region: env[DEMO_ENV.storeRegion] ?? 'us-east-1', bucket, accessKeyId, secretAccessKey };
}

/** The same values as environment variables, for the app's process. */
export function storeToEnv(store: DemoStore): Record<string, string> {
  return {
    [DEMO_ENV.storeEndpoint]: store.endpoint,
    [DEMO_ENV.storeRegion]: store.region,
    [DEMO_ENV.storeBucket]: store.bucket,
    [DEMO_ENV.storeAccessKeyId]: store.accessKeyId,
    [DEMO_ENV.storeSecretAccessKey]: store.secretAccessKey,
  };
}

/**
 * The store the app talks to: from the environment, else the one running from `TESSERA_STORE_DIR`
 * (default `.store/demo`, what `npm run demo` starts). Read when first needed, never at build time.
 */
export function demoStore(): DemoStore {
  const fromEnv = storeFromEnv();
  if (fromEnv) return fromEnv;
  const info = repositoryPath(join(process.env[DEMO_ENV.storeDir] ?? DEMO_STORE_DIR, 'run', 'store.json'));
  if (!existsSync(info)) {
    throw new Error(`no store: set ${DEMO_ENV.storeEndpoint} and friends, or start one with \`npm run demo\``);
  }
  return JSON.parse(readFileSync(info, 'utf8')) as DemoStore;
}

/** The generated secret's file, beside the demo store. */
export const DEMO_SECRET_FILE = '.store/demo-secret';

/**
 * The secret that signs upload tokens and session cookies: `TESSERA_DEMO_SECRET`, else the one generated
 * into `.store/demo-secret` on first use (so sessions and unfinished uploads survive a restart).
 */
export function demoSecret(): string {
  const fromEnv = process.env[DEMO_ENV.secret];
  if (fromEnv) return fromEnv;
  const file = repositoryPath(DEMO_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
