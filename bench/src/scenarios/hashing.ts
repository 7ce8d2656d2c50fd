/**
 * P3: what integrity costs. Tessera hashes every part (MD5, bound into the URL and checked by the store) and
 * the whole file (SHA-256) in a worker; the raw loop hashes nothing. Also the longest main-thread task of
 * every contender during its upload.
 */
import type { BenchPlan, Section } from '../benchPlan.js';
import { mib, pass, spreadText, table } from '../format.js';
import { spreadOf } from '../rounds.js';

export async function hashingScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, contenders } = plan.options;
  const wanted = [...new Set(['raw', 'tessera', ...contenders] as const)].filter((name) => contenders.includes(name));
  const results = await plan.uploadsAt(baseSize, wanted);
  const speed = (name: string) => {
    const result = results.find((entry) => entry.settings.contender === name);
    return result ? spreadOf(result, (m) => m.mbPerSecond).median : Number.NaN;
  };
  const cost = 1 - speed('tessera') / speed('raw');
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
      `Tessera (MD5 per part + whole-file SHA-256, in a worker) vs raw (no hashing): ${speed('tessera').toFixed(1)} vs ${speed('raw').toFixed(1)} MB/s, ` +
        `so integrity costs ${(cost * 100).toFixed(1)} % of throughput here. Tessera has no switch to turn checksums off ` +
        '(the handler binds a Content-MD5 into every part URL and the store enforces it), so no "checksums off" figure is reported.',
      '',
      ...table(['contender', 'longest main-thread task ms', 'long tasks (≥ 50 ms)', 'target: none > 50 ms'], rows),
    ],
    data: { cost, results: results.map((r) => ({ contender: r.settings.contender, longTasks: r.measurements.map((m) => m.longTasks) })) },
  };
}
