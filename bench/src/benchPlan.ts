/**
 * What a bench run measures (sizes, runs, contenders) and the measurements scenarios share: P1, P2 and P3
 * all need the 1 GiB uploads of the same contenders, so those are made once and reused.
 */
import { CONTENDERS, type ContenderName } from '../page/pageTypes.js';
import { benchFile } from './benchFiles.js';
import type { BenchContext } from './measureUpload.js';
import { measureRounds, type SettingResults } from './rounds.js';

const MiB = 1024 * 1024;

export interface BenchOptions {
  /** P1, P3, P4 and the sweep upload this; P2 this and `largeFactor` × this. @default 1 GiB */
  baseSize: number;
  /** @default 4 (P2's 4 GiB file) */
  largeFactor: number;
  /** Runs per setting (median, min and max). @default 3 */
  runs: number;
  /** P2: runs per contender and size with a full GC before each heap sample (the reachable-heap peak). @default 1 */
  liveHeapRuns: number;
  contenders: ContenderName[];
  /** Part PUTs in flight, for every contender that has the setting. @default 4 */
  concurrency: number;
  /** @default 8 MiB */
  partSize: number;
  /** P5: how long the source grows, and how fast. @default 60 s at 8 Mbit/s */
  recordSeconds: number;
  recordBytesPerSecond: number;
  sweepPartSizes: number[];
  sweepConcurrency: number[];
  /** P6: sign batches timed (after a warm-up). @default 2000 */
  signBatches: number;
  /** P6: timed calls of each other operation (complete of 100 parts: a fifth as many). @default 100 */
  serverCalls: number;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  baseSize: 1024 * MiB,
  largeFactor: 4,
  runs: 3,
  liveHeapRuns: 1,
  contenders: [...CONTENDERS],
  concurrency: 4,
  partSize: 8 * MiB,
  recordSeconds: 60,
  recordBytesPerSecond: 1_000_000,
  sweepPartSizes: [5, 8, 16, 32].map((size) => size * MiB),
  sweepConcurrency: [2, 4, 6, 8],
  signBatches: 2000,
  serverCalls: 100,
};

/** A scenario's part of the report. */
export interface Section {
  id: string;
  title: string;
  lines: string[];
  data: unknown;
}

export class BenchPlan {
  private readonly measured = new Map<string, SettingResults>();

  constructor(
    readonly context: BenchContext,
    readonly options: BenchOptions,
  ) {}

  /** Every listed contender's uploads of a `size`-byte file at the run's part size and concurrency. */
  async uploadsAt(size: number, contenders: readonly ContenderName[]): Promise<SettingResults[]> {
    const { concurrency, partSize, runs } = this.options;
    const missing = contenders.filter((contender) => !this.measured.has(`${size}/${contender}`));
    if (missing.length > 0) {
      const file = await benchFile(size);
      this.context.log(`${missing.join(', ')}: ${size / MiB} MiB file, ${runs} run(s) each`);
      const settings = missing.map((contender) => ({ contender, concurrency, partSize }));
      for (const result of await measureRounds(this.context, file, settings, runs)) {
        this.measured.set(`${size}/${result.settings.contender}`, result);
      }
    }
    return contenders.map((contender) => this.measured.get(`${size}/${contender}`) as SettingResults);
  }

  /** P2's separate runs that force a full GC before each heap sample, every second: the reachable-heap peak. */
  async liveHeapAt(size: number, contenders: readonly ContenderName[]): Promise<SettingResults[]> {
    const { concurrency, partSize, liveHeapRuns } = this.options;
    const file = await benchFile(size);
    this.context.log(`${contenders.join(', ')}: ${size / MiB} MiB file, ${liveHeapRuns} run(s) each, full GC before each heap sample`);
    const settings = contenders.map((contender) => ({ contender, concurrency, partSize }));
    return measureRounds(this.context, file, settings, liveHeapRuns, { fullGc: true, intervalMs: 1000 });
  }
}
