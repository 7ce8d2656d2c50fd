/**
 * P2: peak JS heap (main thread, CDP JSHeapUsedSize) and peak RSS/PSS of the whole Chromium process tree
 * while each contender uploads a base-size and a `largeFactor`× file; Tessera's targets checked.
 */
import type { BenchPlan, Section } from '../benchPlan.js';
import { mib, pass, spreadText, table } from '../format.js';
import type { UploadMeasurement } from '../measureUpload.js';
import { type SettingResults, spreadOf } from '../rounds.js';

const MiB = 1024 * 1024;

export async function memoryScenario(plan: BenchPlan): Promise<Section> {
  const { baseSize, largeFactor, concurrency, partSize } = plan.options;
  // Tessera's checksum variants hold the same memory as Tessera: P1 and P3 report them, not the large file.
  const contenders = plan.options.contenders.filter((name) => !name.startsWith('tessera-'));
  const sizes = [baseSize, baseSize * largeFactor];
  const bySize: Array<{ size: number; results: SettingResults[]; live: SettingResults[] }> = [];
  for (const size of sizes) {
    const results = await plan.uploadsAt(size, contenders);
    bySize.push({ size, results, live: await plan.liveHeapAt(size, contenders) });
  }

  const rows = bySize.flatMap(({ size, results, live }) =>
    results.map((result, index) => {
      const liveResult = live[index] as SettingResults;
      return [
        `${result.settings.contender} (${mib(size)} MiB)`,
        spreadText(spreadOf(result, (m) => m.memory.peakHeapBytes), 1, MiB),
        spreadText(spreadOf(result, (m) => m.memory.peakHeapBytes - m.memory.baselineHeapBytes), 1, MiB),
        liveResult.measurements.length
          ? spreadText(spreadOf(liveResult, (m) => m.memory.peakHeapBytes), 1, MiB)
          : `failed: ${liveResult.errors[0] ?? ''}`,
        spreadText(spreadOf(result, (m) => m.heapAfterGcBytes), 1, MiB),
        spreadText(spreadOf(result, (m) => m.memory.peakRssBytes), 0, MiB),
        spreadText(spreadOf(result, (m) => m.memory.peakPssBytes), 0, MiB),
        result.measurements.length ? `${result.measurements.length} + ${liveResult.measurements.length}` : `failed: ${result.errors[0] ?? ''}`,
      ];
    }),
  );

  const tesseraMedian = (size: number, which: 'results' | 'live', pick: (m: UploadMeasurement) => number) => {
    const index = contenders.indexOf('tessera');
    const result = bySize.find((entry) => entry.size === size)?.[which][index];
    return result?.measurements.length ? spreadOf(result, pick).median : Number.NaN;
  };
  const limit = concurrency * partSize + 32 * MiB;
  const [smallSize, largeSize] = sizes as [number, number];
  const small = tesseraMedian(smallSize, 'results', (m) => m.memory.peakHeapBytes);
  const large = tesseraMedian(largeSize, 'results', (m) => m.memory.peakHeapBytes);
  const smallLive = tesseraMedian(smallSize, 'live', (m) => m.memory.peakHeapBytes);
  const largeLive = tesseraMedian(largeSize, 'live', (m) => m.memory.peakHeapBytes);
  const growth = large / small - 1;
  const liveGrowth = largeLive / smallLive - 1;
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const targets = contenders.includes('tessera')
    ? [
        '',
        ...table(
          ['Tessera target', 'measured', 'target', ''],
          [
            [`peak heap, ${mib(smallSize)} MiB`, `${mib(small, 1)} MiB`, `≤ ${mib(limit)} MiB`, pass(small <= limit)],
            [`peak heap, ${mib(largeSize)} MiB`, `${mib(large, 1)} MiB`, `≤ ${mib(limit)} MiB`, pass(large <= limit)],
            ['large ÷ small peak heap, reachable (full GC before each sample)', percent(liveGrowth), '≤ 10 %', pass(Math.abs(liveGrowth) <= 0.1)],
            ['large ÷ small peak heap, garbage included (V8 collects when it chooses)', percent(growth), '≤ 10 %', pass(Math.abs(growth) <= 0.1)],
          ],
        ),
      ]
    : [];
  return {
    id: 'p2',
    title: `P2 memory — ${sizes.map((size) => `${mib(size)} MiB`).join(' and ')} files, ${mib(partSize)} MiB parts, concurrency ${concurrency}`,
    lines: [
      ...table(
        [
          'contender (file)',
          'peak heap MiB',
          'peak above idle MiB',
          'peak reachable heap MiB',
          'heap after upload + GC MiB',
          'peak RSS MiB (tree)',
          'peak PSS MiB (tree)',
          'runs (+ reachable)',
        ],
        rows,
      ),
      ...targets,
      '',
      'Heap: the page main thread\'s used JS heap, sampled every 100 ms (workers, ArrayBuffer contents and Blob/network buffers are outside it); ' +
        'peaks include garbage not yet collected, so they grow with how long V8 leaves old garbage in place (a longer upload gives it longer), not only with what the upload holds. ' +
        '"Peak reachable heap" comes from separate runs that force a full GC before each heap sample, once a second: what the page holds while uploading. ' +
        '"After upload + GC" is what stays reachable at the end. ' +
        'RSS/PSS: summed over every Chromium process of that run (browser, renderer, GPU, network, storage); RSS counts shared pages once per process, PSS shares them out. One fresh Chromium per upload.',
    ],
    data: bySize,
  };
}
