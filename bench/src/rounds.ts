/**
 * Repeated measurements, interleaved: run 1 of every setting, then run 2 of every setting, … so a slow
 * minute on a shared machine touches every contender alike. A failed upload is recorded, not fatal.
 */
import type { BenchFile } from './benchFiles.js';
import type { SamplerOptions } from './benchBrowser.js';
import { type BenchContext, measureUpload, type UploadMeasurement, type UploadSettings } from './measureUpload.js';
import { type Spread, spread } from './stats.js';

export interface SettingResults {
  settings: UploadSettings;
  measurements: UploadMeasurement[];
  errors: string[];
}

export async function measureRounds(
  context: BenchContext,
  file: BenchFile,
  settings: readonly UploadSettings[],
  runs: number,
  sampling: SamplerOptions = {},
): Promise<SettingResults[]> {
  const results = settings.map((setting) => ({ settings: setting, measurements: [] as UploadMeasurement[], errors: [] as string[] }));
  for (let run = 1; run <= runs; run++) {
    for (const result of results) {
      const { contender, concurrency, partSize } = result.settings;
      const mode = sampling.fullGc ? ', full GC per sample' : '';
      const label = `${contender} c${concurrency} ${partSize / 1024 / 1024} MiB, ${file.size / 1024 / 1024} MiB file${mode}, run ${run}/${runs}`;
      try {
        const measured = await measureUpload(context, file, result.settings, sampling);
        result.measurements.push(measured);
        context.log(
          `  ${label}: ${measured.mbPerSecond.toFixed(1)} MB/s, heap peak ${(measured.memory.peakHeapBytes / 2 ** 20).toFixed(1)} MiB, ` +
            `RSS peak ${(measured.memory.peakRssBytes / 2 ** 20).toFixed(0)} MiB, longest task ${measured.longTasks.maxMs.toFixed(0)} ms (verified)`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result.errors.push(message);
        context.log(`  ${label}: FAILED ${message}`);
      }
    }
  }
  return results;
}

/** The spread of one figure over a setting's successful runs. */
export function spreadOf(result: SettingResults, pick: (measurement: UploadMeasurement) => number): Spread {
  return spread(result.measurements.map(pick));
}
