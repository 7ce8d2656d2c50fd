/**
 * One measured upload: a fresh Chromium, the file picked, memory sampled while the contender uploads, the
 * stored object verified and deleted.
 */
import { basename } from 'node:path';
import type { StoreInfo } from '../../scripts/swiftStore.js';
import type { ContenderName, LongTaskSummary, RunOptions, RunResult } from '../page/pageTypes.js';
import type { BenchApp } from './benchApp.js';
import { heapUsed, type MemoryPeaks, openBenchPage, pickFile, type SamplerOptions, startSampler } from './benchBrowser.js';
import type { BenchFile } from './benchFiles.js';
import { verifyAndDelete } from './storedObject.js';

export interface BenchContext {
  app: BenchApp;
  store: StoreInfo;
  log(line: string): void;
}

export interface UploadSettings {
  contender: ContenderName;
  concurrency: number;
  partSize: number;
}

export interface UploadMeasurement extends UploadSettings {
  size: number;
  ms: number;
  /** 10^6 bytes per second, create to complete. */
  mbPerSecond: number;
  memory: MemoryPeaks;
  /** Used JS heap once the upload finished and a full garbage collection ran: what the upload left behind. */
  heapAfterGcBytes: number;
  longTasks: LongTaskSummary;
}

/**
 * lib-storage and Evaporate call the store's multipart operations from the page, which Swift's s3api
 * answers without CORS headers: their Chromium runs with web security off.
 */
const CALLS_STORE_FROM_PAGE: Record<ContenderName, boolean> = {
  raw: false,
  tessera: false,
  'tessera-no-sha256': false,
  'tessera-no-checksums': false,
  uppy: false,
  'lib-storage': true,
  evaporate: true,
};

/** No contender is slower than this; a stuck one (Evaporate retries forever) is stopped. */
const SLOWEST_BYTES_PER_SECOND = 2e6;
let uploads = 0;

export async function measureUpload(
  context: BenchContext,
  file: BenchFile,
  settings: UploadSettings,
  sampling: SamplerOptions = {},
): Promise<UploadMeasurement> {
  context.app.partSize = settings.partSize;
  const options: RunOptions = {
    ...settings,
    key: `bench/${settings.contender}/${process.pid}-${++uploads}/${basename(file.path)}`,
  };
  const session = await openBenchPage(context.app, { disableWebSecurity: CALLS_STORE_FROM_PAGE[settings.contender] });
  let result: RunResult;
  let memory: MemoryPeaks;
  let heapAfterGcBytes: number;
  try {
    await pickFile(session.page, file.path);
    const sampler = await startSampler(session.cdp, sampling);
    try {
      result = await withTimeout(
        session.page.evaluate((run) => window.benchPage.run(run), options),
        Math.max(120_000, (file.size / SLOWEST_BYTES_PER_SECOND) * 1000),
        `${settings.contender} did not finish`,
      );
    } finally {
      memory = await sampler.stop();
    }
    await session.cdp.send('HeapProfiler.collectGarbage');
    heapAfterGcBytes = await heapUsed(session.cdp);
  } catch (error) {
    const pageErrors = session.pageErrors.length ? ` (page errors: ${session.pageErrors.join(' | ')})` : '';
    throw new Error(`${settings.contender}: ${error instanceof Error ? error.message : String(error)}${pageErrors}`);
  } finally {
    await session.close();
  }
  await verifyAndDelete(context.store, result.key, {
    sha256: file.sha256,
    size: file.size,
    partCount: Math.max(1, Math.ceil(file.size / settings.partSize)),
  });
  return {
    ...settings,
    size: file.size,
    ms: result.ms,
    mbPerSecond: file.size / 1e6 / (result.ms / 1000),
    memory,
    heapAfterGcBytes,
    longTasks: result.longTasks,
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${message} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
