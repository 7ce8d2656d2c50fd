/**
 * The soak suite's short run, in CI: the same rows as `npm run soak` (tests/soak/) with a few uploads each, the
 * 30 s offline spell and no 5-minute rows, on the run's store and test page. It writes
 * test-results/soak-short.md and .json and fails on every row that missed its target.
 */
import { expect, inject, it } from 'vitest';
import { runSoak } from '../soak/runSoak.js';
import { soakConfigFromEnv } from '../soak/soakConfig.js';
import { soakMarkdown, writeSoakReport } from '../soak/soakReport.js';

it('soak (short): every row meets its target', async () => {
  const config = soakConfigFromEnv(process.env, 'short');
  const report = await runSoak({
    store: inject('store'),
    pageDir: inject('browserPage'),
    config,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  writeSoakReport(report, 'test-results', config.mode === 'full' ? 'soak' : 'soak-short');
  console.log(soakMarkdown(report));
  const missed = report.rows.filter((row) => !row.met);
  expect(missed.map((row) => `${row.id} ${row.scenario}: ${row.figures} ${row.notes.join(' ')}`)).toEqual([]);
}, 480_000);
