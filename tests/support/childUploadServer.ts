/**
 * The real upload handler on a real Node HTTP server in a child process (`uploadServerProcess.ts`), for
 * tests that send what might crash a server: a crash is seen as the child exiting, not as the test runner
 * dying. The child reports every answer and every `onError` call, so a test can wait for a request it
 * cannot see the end of (a client that left) and count errors the handler reported.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StoreInfo } from '../../scripts/swiftStore.js';

/** Request header a test names its case in; the child repeats it in its reports. */
export const CASE_HEADER = 'x-test-case';

/** What the child reports, one JSON object per stdout line. */
export type ChildEvent =
  | { event: 'listening'; port: number }
  | { event: 'served'; case: string; status: number }
  | { event: 'error'; case: string; code: string | null; message: string };

export interface ChildUploadServer {
  pid: number;
  port: number;
  /** Base URL of the handler, e.g. http://127.0.0.1:PORT/api/uploads */
  url: string;
  /** Every report so far, in order. */
  events: ChildEvent[];
  /** The `onError` calls so far. */
  errors(): Array<Extract<ChildEvent, { event: 'error' }>>;
  /** Whether the child is still running. */
  alive(): boolean;
  /** How the child ended, or `null` while it runs. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Everything the child wrote to stderr. */
  stderr(): string;
  /** The first report (past or future) matching `predicate`; rejects after `timeoutMs` or if the child exits. */
  waitFor(predicate: (event: ChildEvent) => boolean, timeoutMs: number): Promise<ChildEvent>;
  /** Stop the child (SIGTERM to its pid, SIGKILL after 5 s) and wait for it to exit. */
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./uploadServerProcess.ts', import.meta.url));

export interface ChildUploadServerOptions {
  /** The handler's `bodyTimeoutMs`. @default 30000 */
  bodyTimeoutMs?: number;
  /** Node's `headersTimeout` (how long a client may take to send its headers). @default 60000 */
  headersTimeoutMs?: number;
  /** Longest wait for the child to listen. @default 30000 */
  startTimeoutMs?: number;
}

export async function startChildUploadServer(
  store: StoreInfo,
  options: ChildUploadServerOptions = {},
): Promise<ChildUploadServer> {
  // `--import tsx` keeps the server in this one process (the `tsx` binary would put a wrapper in between).
  const child: ChildProcess = spawn(process.execPath, ['--conditions=@tessera/source', '--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      TESSERA_CHILD_STORE: JSON.stringify(store),
      TESSERA_CHILD_BODY_TIMEOUT_MS: String(options.bodyTimeoutMs ?? 30_000),
      TESSERA_CHILD_HEADERS_TIMEOUT_MS: String(options.headersTimeoutMs ?? 60_000),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildEvent[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as ChildEvent);
    } catch {
      stderr += `[stdout] ${line}\n`;
    }
    wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ended = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      wake();
      done();
    });
  });

  const waitFor = (predicate: (event: ChildEvent) => boolean, timeoutMs: number) =>
    new Promise<ChildEvent>((resolve, reject) => {
      const check = () => {
        const found = events.find(predicate);
        if (found) finish(() => resolve(found));
        else if (exited) finish(() => reject(new Error(`the server exited (${JSON.stringify(exited)}): ${stderr}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no matching report from the server within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await ended;
    clearTimeout(killer);
  };

  let listening: ChildEvent;
  try {
    listening = await waitFor((event) => event.event === 'listening', options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const port = (listening as Extract<ChildEvent, { event: 'listening' }>).port;
  return {
    pid: child.pid as number,
    port,
    url: `http://127.0.0.1:${port}/api/uploads`,
    events,
    errors: () => events.filter((event): event is Extract<ChildEvent, { event: 'error' }> => event.event === 'error'),
    alive: () => exited === null,
    exit: () => exited,
    stderr: () => stderr,
    waitFor,
    stop,
  };
}
