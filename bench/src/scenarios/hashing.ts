/**
 * P3: what integrity costs. Tessera hashes every part (MD5, bound into the URL and checked by the store) and
 * the whole file (SHA-256) in a worker; `tessera-no-sha256` leaves the whole-file hash out, and
 * `tessera-no-checksums` every hash (a handler with `checksumAlgorithm: 'none'`); the raw loop hashes
 * nothing. Also the longest main-thread task of every contender during its upload.
 */
import type { BenchPlan, Section } from '../benchPlan.js';
import { mib, pass, spreadText, table } from '../format.js';
import { spreadOf } from '../rounds.js';

const VARIANT_HASHES: Record<'tessera' | 'tessera-no-sha256' | 'tessera-no-checksums', string> = {
  tessera: 'MD5 per part (store-checked) + whole-file SHA-256',
  'tessera-no-sha256': 'MD5 per part (store-checked); `wholeFileSha256: false`',
  'tessera-no-checksums': "none: handler `checksumAlgorithm: 'none'`, `wholeFileSha256: false`",
};

export async function hashingScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, contenders } = plan.options;
  const variants = ['raw', 'tessera', 'tessera-no-sha256', 'tessera-no-checksums'] as const;
  const wanted = [...new Set([...variants, ...contenders])].filter((name) => contenders.includes(name));
  const results = await plan.uploadsAt(baseSize, wanted);
  const speed = (name: string) => {
    const result = results.find((entry) => entry.settings.contender === name);
    return result ? spreadOf(result, (m) => m.mbPerSecond).median : Number.NaN;
  };
  const cost = 1 - speed('tessera') / speed('raw');
  const costRows = variants
    .filter((name) => name !== 'raw')
    .filter((name) => contenders.includes(name))
    .map((name) => [
      name,
      VARIANT_HASHES[name],
      speed(name).toFixed(1),
      `${(speed(name) / speed('raw')).toFixed(2)}×`,
      `${(speed(name) / speed('tessera')).toFixed(2)}×`,
    ]);
  const rows = results.map((result) => {
    const longest = spreadOf(result, (m) => m.longTasks.maxMs);
    return [
      result.settings.contender,
      spreadText(longest, 0),
      spreadText(spreadOf(result, (m) => m.longTasks.count), 0),
      result.settings.contender === 'tessera' ? pass(longest.max <= 50) : '',
    ];
  });
  return {
    id: 'p3',
    title: `P3 hashing cost and main-thread health — ${mib(baseSize)} MiB file`,
    lines: [
      `Tessera with its defaults (MD5 per part + whole-file SHA-256, in a worker) vs raw (no hashing): ${speed('tessera').toFixed(1)} vs ${speed('raw').toFixed(1)} MB/s, ` +
        `so everything Tessera does beyond the raw loop costs ${(cost * 100).toFixed(1)} % of throughput here. The variants below turn the hashes off one by one ` +
        '(MB/s medians of the same runs as P1).',
      '',
      ...table(['variant', 'hashes', 'MB/s', '÷ raw', '÷ tessera'], costRows),
      '',
      ...table(['contender', 'longest main-thread task ms', 'long tasks (≥ 50 ms)', 'target: none > 50 ms'], rows),
    ],
    data: { cost, results: results.map((r) => ({ contender: r.settings.contender, longTasks: r.measurements.map((m) => m.longTasks) })) },
  };
}
