/**
 * P2: peak JS heap (main thread, CDP JSHeapUsedSize) and peak RSS/PSS of the whole Chromium process tree
 * while each contender uploads a base-size and a `largeFactor`× file; Tessera's targets checked.
 */
import type { BenchPlan, Section } from '../benchPlan.js';
import { mib, pass, spreadText, table } from '../format.js';
import { type SettingResults, spreadOf } from '../rounds.js';

const MiB = 1024 * 1024;

export async function memoryScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, largeFactor, concurrency, partSize } = plan.options;
  // Tessera's checksum variants hold the same memory as Tessera: P1 and P3 report them, not the large file.
  const contenders = plan.options.contenders.filter((name) => !name.startsWith('tessera-'));
  const sizes = [baseSize, baseSize * largeFactor];
  const bySize: Array<{ size: number; results: SettingResults[] }> = [];
  for (const size of sizes) bySize.push({ size, results: await plan.uploadsAt(size, contenders) });

  const rows = bySize.flatMap(({ size, results }) =>
    results.map((result) => [
      `${result.settings.contender} (${mib(size)} MiB)`,
      spreadText(spreadOf(result, (m) => m.memory.peakHeapBytes), 1, MiB),
      spreadText(spreadOf(result, (m) => m.memory.peakHeapBytes - m.memory.baselineHeapBytes), 1, MiB),
      spreadText(spreadOf(result, (m) => m.heapAfterGcBytes), 1, MiB),
      spreadText(spreadOf(result, (m) => m.memory.peakRssBytes), 0, MiB),
      spreadText(spreadOf(result, (m) => m.memory.peakPssBytes), 0, MiB),
      result.measurements.length ? `${result.measurements.length}` : `failed: ${result.errors[0] ?? ''}`,
    ]),
  );

  const tesseraPeak = (size: number) => {
    const result = bySize.find((entry) => entry.size === size)?.results.find((r) => r.settings.contender === 'tessera');
    return result ? spreadOf(result, (m) => m.memory.peakHeapBytes).median : Number.NaN;
  };
  const limit = concurrency * partSize + 32 * MiB;
  const small = tesseraPeak(sizes[0] as number);
  const large = tesseraPeak(sizes[1] as number);
  const growth = large / small - 1;
  const targets = contenders.includes('tessera')
    ? [
        '',
        ...table(
          ['Tessera target', 'measured', 'target', ''],
          [
            [`peak heap, ${mib(sizes[0] as number)} MiB`, `${mib(small, 1)} MiB`, `≤ ${mib(limit)} MiB`, pass(small <= limit)],
            [`peak heap, ${mib(sizes[1] as number)} MiB`, `${mib(large, 1)} MiB`, `≤ ${mib(limit)} MiB`, pass(large <= limit)],
            ['large ÷ small peak heap', `${(growth * 100).toFixed(1)} %`, '≤ 10 %', pass(Math.abs(growth) <= 0.1)],
          ],
        ),
      ]
    : [];
  return {
    id: 'p2',
    title: `P2 memory — ${sizes.map((size) => `${mib(size)} MiB`).join(' and ')} files, ${mib(partSize)} MiB parts, concurrency ${concurrency}`,
    lines: [
      ...table(
        ['contender (file)', 'peak heap MiB', 'peak above idle MiB', 'heap after upload + GC MiB', 'peak RSS MiB (tree)', 'peak PSS MiB (tree)', 'runs'],
        rows,
      ),
      ...targets,
      '',
      'Heap: the page main thread\'s used JS heap, sampled every 100 ms (workers, ArrayBuffer contents and Blob/network buffers are outside it); ' +
        'peaks include garbage not yet collected, "after upload + GC" is what stays reachable. ' +
        'RSS/PSS: summed over every Chromium process of that run (browser, renderer, GPU, network, storage); RSS counts shared pages once per process, PSS shares them out. One fresh Chromium per upload.',
    ],
    data: bySize,
  };
}
