/** The machine a report was measured on. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { CHROMIUM_PATH } from '../../tests/support/browserHarness.js';
import type { Invocation } from './parseArguments.js';

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown Chromium';
  }
}

export async function machineSummary(invocation: Invocation): Promise<string[]> {
  const cpu = cpus();
  const swift = (() => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'swift-proxy'], { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })();
  return [
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
      `load average at the end ${loadavg().map((load) => load.toFixed(2)).join(' ')}; ${chromiumVersion()}; Node ${process.version}; ` +
      `store: OpenStack Swift ${swift} + s3api on loopback.`,
    `Command: \`npm run bench${invocation.argv.length ? ` -- ${invocation.argv.join(' ')}` : ''}\``,
  ];
}
