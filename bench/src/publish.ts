/**
 * `npm run bench:publish`: turn the last full run (bench/results/latest.*) into the committed
 * bench/RESULTS.md and its chart bench/RESULTS.svg. Refuses a development-size run unless `--force`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, Section } from './benchPlan.js';
import { caption, chartSvg, uploadsOf } from './chart.js';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const latest = JSON.parse(readFileSync(`${benchDir}results/latest.json`, 'utf8')) as {
  started: string;
  options: BenchOptions;
  sections: Section[];
};
const full = latest.options.baseSize >= 1024 ** 3 && latest.options.runs >= 3 && latest.sections.length >= 7;
if (!full && !process.argv.includes('--force')) {
  process.stderr.write(
    `bench: results/latest.json is not a full run (${latest.options.baseSize / 1024 ** 2} MiB, ${latest.options.runs} run(s), ` +
      `${latest.sections.length} scenario(s)); run \`npm run bench\` first, or pass --force\n`,
  );
  process.exit(1);
}
const uploads = uploadsOf(latest.sections);
writeFileSync(`${benchDir}RESULTS.svg`, chartSvg(uploads, caption(uploads)));
const report = readFileSync(`${benchDir}results/latest.md`, 'utf8').split('\n');
const [title = '# Tessera bench', ...rest] = report;
writeFileSync(
  `${benchDir}RESULTS.md`,
  [
    title.replace('# Tessera bench', '# Tessera bench results'),
    '',
    `The last full run of \`npm run bench\` (${latest.started.slice(0, 10)}); how it measures: [README.md](README.md).`,
    '',
    '![Throughput and memory per contender](RESULTS.svg)',
    ...rest,
  ].join('\n'),
);
process.stderr.write(`bench: wrote ${benchDir}RESULTS.md and RESULTS.svg\n`);
