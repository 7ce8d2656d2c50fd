/** P1: MB/s per contender on the same file, store, part size and concurrency; Tessera ÷ raw and ÷ each peer. */
import type { BenchPlan, Section } from '../benchPlan.js';
import { mib, ratioText, spreadText, table } from '../format.js';
import { spreadOf } from '../rounds.js';

export async function throughputScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, contenders, concurrency, partSize } = plan.options;
  const results = await plan.uploadsAt(baseSize, contenders);
  const median = (name: string) => {
    const result = results.find((entry) => entry.settings.contender === name);
    return result ? spreadOf(result, (m) => m.mbPerSecond).median : Number.NaN;
  };
  const tessera = median('tessera');
  const rows = results.map((result) => {
    const speed = spreadOf(result, (m) => m.mbPerSecond);
    const name = result.settings.contender;
    return [
      name,
      result.errors.length && !result.measurements.length ? `failed: ${result.errors[0]}` : spreadText(speed, 1),
      ratioText(speed.median, median('raw')),
      name === 'tessera' ? '–' : ratioText(tessera, speed.median),
      `${result.measurements.length}/${result.measurements.length + result.errors.length}`,
    ];
  });
  return {
    id: 'p1',
    title: `P1 throughput — ${mib(baseSize)} MiB file, ${mib(partSize)} MiB parts, concurrency ${concurrency}`,
    lines: [
      ...table(['contender', 'MB/s median (min–max)', '÷ raw', 'Tessera ÷ it', 'runs ok'], rows),
      '',
      'MB/s = 10^6 bytes/s from the first call to the completed object; every stored object was read back and its SHA-256, size and part count checked.',
    ],
    data: results,
  };
}
