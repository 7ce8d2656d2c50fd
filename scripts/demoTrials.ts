/**
 * `npm run demo:trials -- [runs] [--load]`: start `npm run demo` `runs` times in a row (default 10), each time
 * until the app answers its page and the upload route, then stop it with Ctrl-C's signal and wait for it to
 * exit. With `--load`, two busy loops keep both cores occupied throughout, as on a loaded laptop. Prints one
 * line per run and the tally; exits 1 unless every run came up.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const runs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 10);
const load = process.argv.includes('--load');
const port = Number(process.env.PORT ?? 3000);
const TIMEOUT_MS = 240_000;

function busyLoop(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    // The upload route answers an anonymous create with 401 or 415: it is up.
    return response.status < 500;
  } catch {
    return false;
  }
}

async function trial(run: number): Promise<boolean> {
  const started = Date.now();
  const demo = spawn('npm', ['run', 'demo'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => demo.once('exit', (code) => done(code)));
  let up = false;
  while (Date.now() - started < TIMEOUT_MS) {
    const finished = await Promise.race([exited, new Promise((done) => setTimeout(() => done('running'), 1_000))]);
    if (finished !== 'running') break;
    if (/Tessera demo/.test(output) && (await answers(`http://127.0.0.1:${port}/`)) && (await answers(`http://127.0.0.1:${port}/api/uploads/v1/uploads`))) {
      up = true;
      break;
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // Stop the whole process group (npm, tsx, the app) as Ctrl-C would, by its pid.
  if (demo.pid !== undefined) {
    try {
      process.kill(-demo.pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  await Promise.race([exited, new Promise((done) => setTimeout(done, 30_000))]);
  const failure = output.split('\n').find((line) => /could not start|Error|error/.test(line));
  console.log(`run ${run}: ${up ? `up in ${seconds} s` : `FAILED after ${seconds} s: ${failure ?? output.trim().split('\n').at(-1)}`}`);
  return up;
}

const loops = load ? [busyLoop(), busyLoop()] : [];
let ok = 0;
try {
  for (let run = 1; run <= runs; run++) if (await trial(run)) ok++;
} finally {
  for (const loop of loops) loop.kill();
}
console.log(`${ok}/${runs} runs came up${load ? ' with both cores kept busy' : ''}`);
process.exit(ok === runs ? 0 : 1);
