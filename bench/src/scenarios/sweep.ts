/** Tessera across part sizes × concurrency on the base-size file: MB/s and peak heap per setting. */
import { benchFile } from '../benchFiles.js';
import type { BenchPlan, Section } from '../benchPlan.js';
import { mib, spreadText, table } from '../format.js';
import { measureRounds, spreadOf } from '../rounds.js';

export async function sweepScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, runs, sweepPartSizes, sweepConcurrency } = plan.options;
  const file = await benchFile(baseSize);
  const settings = sweepPartSizes.flatMap((partSize) =>
    sweepConcurrency.map((concurrency) => ({ contender: 'tessera' as const, concurrency, partSize })),
  );
  plan.context.log(`tessera sweep: ${settings.length} settings × ${runs} run(s), ${mib(baseSize)} MiB file`);
  const results = await measureRounds(plan.context, file, settings, runs);
  const cell = (partSize: number, concurrency: number, pick: 'speed' | 'heap') => {
    const result = results.find((r) => r.settings.partSize === partSize && r.settings.concurrency === concurrency);
    if (!result?.measurements.length) return 'failed';
    return pick === 'speed'
      ? spreadText(spreadOf(result, (m) => m.mbPerSecond), 1)
      : spreadText(spreadOf(result, (m) => m.memory.peakHeapBytes), 1, 2 ** 20);
  };
  const header = ['part size', ...sweepConcurrency.map((c) => `c = ${c}`)];
  const grid = (pick: 'speed' | 'heap') =>
    table(header, sweepPartSizes.map((partSize) => [`${mib(partSize)} MiB`, ...sweepConcurrency.map((c) => cell(partSize, c, pick))]));
  return {
    id: 'sweep',
    title: `Tessera part size × concurrency sweep — ${mib(baseSize)} MiB file`,
    lines: ['MB/s, median (min–max):', '', ...grid('speed'), '', 'Peak JS heap, MiB:', '', ...grid('heap')],
    data: results,
  };
}
