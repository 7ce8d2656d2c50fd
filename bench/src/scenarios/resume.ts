/**
 * P4: the cost of a reload. Tessera uploads with its defaults; at 30/60/90 % the page is reloaded (which
 * kills the part PUTs in flight), the file is picked again and the newest checkpoint resumed. Measured:
 * bytes re-sent (parts PUT again after the reload that had been PUT before it) and the time to the first
 * resumed part PUT, from the page load and from the resume call.
 */
import type { Page } from 'playwright-core';
import type { PartAttempt } from '../../page/pageTypes.js';
import { benchFile } from '../benchFiles.js';
import type { BenchPlan, Section } from '../benchPlan.js';
import { openBenchPage, pickFile, waitReady } from '../benchBrowser.js';
import { mib, pass, spreadText, table } from '../format.js';
import { spread } from '../stats.js';
import { verifyAndDelete } from '../storedObject.js';

const FRACTIONS = [0.3, 0.6, 0.9];

interface ResumeMeasurement {
  fraction: number;
  resentBytes: number;
  /** Every byte PUT over both page loads, minus the file. */
  extraBytes: number;
  /** `null` when the store already held every part (nothing left to PUT after the reload). */
  loadToFirstPutMs: number | null;
  resumeToFirstPutMs: number | null;
}

/** Wait until Tessera has sent `bytes` (`null`: until it completed); a failed upload ends the wait loudly. */
async function waitFor(page: Page, bytes: number | null, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (target) => {
      const progress = window.benchPage.resume.progress();
      if (progress.error) return true;
      return target === null ? progress.status === 'completed' : progress.uploadedBytes >= target;
    },
    bytes,
    { polling: 20, timeout: timeoutMs },
  );
  const error = await page.evaluate(() => window.benchPage.resume.progress().error);
  if (error) throw new Error(`tessera failed: ${error}`);
}

function firstAt(attempts: PartAttempt[]): number | null {
  return attempts.length ? Math.min(...attempts.map((attempt) => attempt.at)) : null;
}

const known = (values: Array<number | null>): number[] => values.filter((value): value is number => value !== null);
const msText = (value: number | null): string => (value === null ? 'no PUT needed' : `${value.toFixed(0)} ms`);

export async function resumeScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, runs, concurrency, partSize } = plan.options;
  const { app, store, log } = plan.context;
  app.partSize = partSize;
  const file = await benchFile(baseSize);
  const timeoutMs = Math.max(120_000, (file.size / 20e6) * 1000);
  const measured: ResumeMeasurement[] = [];
  const errors: string[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const fraction of FRACTIONS) {
      const session = await openBenchPage(app);
      try {
        const { page } = session;
        await pickFile(page, file.path);
        await page.evaluate((c) => window.benchPage.resume.start(c), concurrency);
        await waitFor(page, file.size * fraction, timeoutMs);
        await page.reload();
        await waitReady(page);
        await pickFile(page, file.path);
        await page.evaluate((c) => window.benchPage.resume.resumeLatest(c), concurrency);
        await waitFor(page, null, timeoutMs);
        const { progress, attempts, resumeCalledAt } = await page.evaluate(() => ({
          progress: window.benchPage.resume.progress(),
          attempts: window.benchPage.resume.attempts(),
          resumeCalledAt: window.benchPage.resume.resumeCalledAt(),
        }));
        if (!progress.result) throw new Error('completed without a result');
        const before = attempts.filter((attempt) => attempt.load === 1);
        const after = attempts.filter((attempt) => attempt.load === 2);
        const sentBefore = new Set(before.map((attempt) => attempt.partNumber));
        const result: ResumeMeasurement = {
          fraction,
          resentBytes: after.filter((a) => sentBefore.has(a.partNumber)).reduce((sum, a) => sum + a.size, 0),
          extraBytes: attempts.reduce((sum, attempt) => sum + attempt.size, 0) - file.size,
          loadToFirstPutMs: firstAt(after),
          resumeToFirstPutMs: after.length && resumeCalledAt !== null ? (firstAt(after) as number) - resumeCalledAt : null,
        };
        await verifyAndDelete(store, progress.result.key, {
          sha256: file.sha256,
          size: file.size,
          partCount: Math.ceil(file.size / partSize),
        });
        measured.push(result);
        log(
          `  reload at ${fraction * 100} %, run ${run}/${runs}: re-sent ${mib(result.resentBytes)} MiB, ` +
            `first resumed PUT ${msText(result.loadToFirstPutMs)} after load, ${msText(result.resumeToFirstPutMs)} after resume (verified)`,
        );
      } catch (error) {
        errors.push(String(error));
        log(`  reload at ${fraction * 100} %, run ${run}/${runs}: FAILED ${String(error)}`);
      } finally {
        await session.close();
      }
    }
  }
  const limit = concurrency * partSize;
  const rows = FRACTIONS.map((fraction) => {
    const at = measured.filter((m) => m.fraction === fraction);
    const resent = spread(at.map((m) => m.resentBytes));
    const fromLoad = spread(known(at.map((m) => m.loadToFirstPutMs)));
    const fromResume = spread(known(at.map((m) => m.resumeToFirstPutMs)));
    return [
      `${fraction * 100} %`,
      spreadText(resent, 0, 2 ** 20),
      spreadText(spread(at.map((m) => m.extraBytes)), 0, 2 ** 20),
      spreadText(fromLoad, 0),
      spreadText(fromResume, 0),
      `${pass(resent.max <= limit)} / ${fromLoad.runs ? pass(fromLoad.max <= 1000) : '–'}`,
    ];
  });
  return {
    id: 'p4',
    title: `P4 resume cost — Tessera, ${mib(baseSize)} MiB file, reload at ${FRACTIONS.map((f) => `${f * 100} %`).join('/')}`,
    lines: [
      ...table(
        ['reload at', 're-sent MiB', 'extra MiB PUT', 'page load → first resumed PUT ms', 'resume() → first PUT ms', `targets (≤ ${mib(limit)} MiB / ≤ 1 s)`],
        rows,
      ),
      ...(errors.length ? ['', `Failed runs: ${errors.length} (${errors[0]})`] : []),
      '',
      '"Re-sent": bytes of parts PUT after the reload that had been PUT (fully or partly) before it. ' +
        '"Page load → first resumed PUT" runs from navigation start and includes the bench picking the file again through Playwright; ' +
        '"resume() →" starts at `findResumableUploads` + `resumeUpload` (checkpoint read, file fingerprint, ListParts, re-sign).',
    ],
    data: { measured, errors },
  };
}
