/**
 * `npm run bench [-- p1 p2 … sweep] [--size MiB] [--runs N] [--contenders a,b] [--record-seconds S] [--quick]`
 * Starts its own store on free ports, builds the bench page, runs the scenarios, prints the report and
 * writes it to bench/results/latest.md (and latest.json for the chart).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSwiftStore, stopSwiftStore } from '../../scripts/swiftStore.js';
import { startBenchApp } from './benchApp.js';
import { BenchPlan, type Section } from './benchPlan.js';
import { buildBenchPage } from './buildBenchPage.js';
import { CONTENDER_NOTES } from './contenderNotes.js';
import { machineSummary } from './machine.js';
import { type Invocation, parseArguments, type ScenarioName, USAGE } from './parseArguments.js';
import { hashingScenario } from './scenarios/hashing.js';
import { memoryScenario } from './scenarios/memory.js';
import { recordingScenario } from './scenarios/recording.js';
import { resumeScenario } from './scenarios/resume.js';
import { serverScenario } from './scenarios/server.js';
import { sweepScenario } from './scenarios/sweep.js';
import { throughputScenario } from './scenarios/throughput.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');
const RUNNERS: Record<ScenarioName, (plan: BenchPlan) => Promise<Section>> = {
  p1: throughputScenario,
  p2: memoryScenario,
  p3: hashingScenario,
  p4: resumeScenario,
  p5: recordingScenario,
  p6: serverScenario,
  sweep: sweepScenario,
};

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(invocation: Invocation): Promise<void> {
  const started = new Date();
  const storeDir = join(REPO_DIR, '.store', `bench-${process.pid}`);
  const pageDir = join(REPO_DIR, '.store', `bench-page-${process.pid}`);
  log(`bench: building the page, starting a store in ${storeDir}`);
  const [store] = await Promise.all([
    startSwiftStore({ dir: storeDir, bucket: 'tessera-bench' }),
    buildBenchPage(pageDir),
  ]);
  const app = await startBenchApp(store, pageDir);
  const stop = async () => {
    await app.close();
    await stopSwiftStore(storeDir);
    rmSync(storeDir, { recursive: true, force: true });
    rmSync(pageDir, { recursive: true, force: true });
  };
  // Ctrl-C or `timeout`: stop the store's processes (they outlive us otherwise) before exiting.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }
  const sections: Section[] = [];
  try {
    const plan = new BenchPlan({ app, store, log }, invocation.options);
    for (const scenario of invocation.scenarios) {
      log(`bench: ${scenario}`);
      try {
        sections.push(await RUNNERS[scenario](plan));
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`bench: ${scenario} failed: ${message}`);
        sections.push({ id: scenario, title: `${scenario} — failed`, lines: ['```', message, '```'], data: { error: message } });
        process.exitCode = 1;
      }
    }
  } finally {
    await stop();
  }
  const report = [
    `# Tessera bench — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...(await machineSummary(invocation)),
    '',
    ...CONTENDER_NOTES,
    ...sections.flatMap((section) => ['', `## ${section.title}`, '', ...section.lines]),
    '',
  ].join('\n');
  process.stdout.write(report);
  const resultsDir = join(BENCH_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), report);
  writeFileSync(
    join(resultsDir, 'latest.json'),
    `${JSON.stringify({ started: started.toISOString(), options: invocation.options, sections }, null, 1)}\n`,
  );
  log(`bench: wrote ${join(resultsDir, 'latest.md')} and latest.json in ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min`);
}

if (process.argv.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

main(parseArguments(process.argv.slice(2))).catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
