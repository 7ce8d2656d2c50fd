import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo app's directory (apps/demo). */
export const DEMO_APP_DIR = fileURLToPath(new URL('..', import.meta.url));

// What a build is made from: the app and the workspace packages it bundles from source.
const BUILD_INPUTS = ['app', 'components', 'lib', 'src', 'next.config.ts', 'package.json'].map((path) => join(DEMO_APP_DIR, path));
const PACKAGE_SOURCES = ['core', 'server-adapter', 'react'].map((name) => resolve(DEMO_APP_DIR, '..', '..', 'packages', name, 'src'));

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** Options of {@link buildDemoApp} and {@link startDemoApp}. */
export interface DemoAppOptions {
  /** Build directory, relative to apps/demo. @default '.next' */
  distDir?: string;
  /** Extra environment (the store, the secret). */
  env?: Record<string, string>;
  /** Where Next.js's output goes. @default 'inherit' (this terminal) */
  output?: 'inherit' | 'ignore' | ((text: string) => void);
}

function nextEnv(options: DemoAppOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    ...(options.distDir && { TESSERA_DEMO_DIST_DIR: options.distDir }),
    ...options.env,
  };
}

function runNext(args: string[], options: DemoAppOptions) {
  const output = options.output ?? 'inherit';
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: DEMO_APP_DIR,
    env: nextEnv(options),
    stdio: ['ignore', typeof output === 'function' ? 'pipe' : output, typeof output === 'function' ? 'pipe' : output],
    // Its own process group, so that stopping it also stops the workers it starts.
    detached: true,
  });
  if (typeof output === 'function') {
    child.stdout?.on('data', (chunk: Buffer) => output(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output(chunk.toString()));
  }
  return child;
}

/** Whether the build in `distDir` is older than the app's or the packages' sources (or missing). */
export function demoBuildIsStale(distDir = '.next'): boolean {
  const built = join(DEMO_APP_DIR, distDir, 'BUILD_ID');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return [...BUILD_INPUTS, ...PACKAGE_SOURCES].some((path) => newestChange(path) > builtAt);
}

/**
 * `next build --webpack` of the demo (about a minute on two cores). Resolves when done; rejects with the
 * exit code otherwise.
 */
export function buildDemoApp(options: DemoAppOptions = {}): Promise<void> {
  const child = runNext(['build', '--webpack'], options);
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`next build exited with ${code}`))));
  });
}

/** A running demo app. */
export interface RunningDemoApp {
  url: string;
  pid: number;
  /** Stop it (its whole process group): TERM, then KILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

/** `next start` of a build on 127.0.0.1:`port`; resolves once it answers HTTP. */
export async function startDemoApp(port: number, options: DemoAppOptions = {}): Promise<RunningDemoApp> {
  const child = runNext(['start', '--hostname', '127.0.0.1', '--port', String(port)], options);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), name);
        } catch {
          // already gone
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const code = await Promise.race([exited, new Promise<'waiting'>((done) => setTimeout(() => done('waiting'), 200))]);
    if (code !== 'waiting') throw new Error(`next start exited with ${code}`);
    const answered = await fetch(`${url}/login`).then(
      (response) => response.status < 500,
      () => false,
    );
    if (answered) return { url, pid: child.pid as number, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the demo app did not answer on ${url} within 60 s`);
    }
  }
}
