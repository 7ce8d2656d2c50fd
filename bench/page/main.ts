/** The bench page: `window.benchPage` for the Node side (bench/src) to drive through Playwright. */
import { benchConfig } from './benchApi.js';
import { uploadWithEvaporate } from './contenders/evaporate.js';
import { uploadWithLibStorage } from './contenders/libStorage.js';
import { uploadWithRaw } from './contenders/raw.js';
import { uploadWithTessera } from './contenders/tessera.js';
import { uploadWithUppy } from './contenders/uppy.js';
import { longTasksBetween } from './longTasks.js';
import type { BenchPage, RunOptions, RunResult } from './pageTypes.js';
import { recordWhileUploading } from './recordingRun.js';
import { resumeDriver } from './resumeDriver.js';

function pickedFile(): File {
  const file = document.querySelector<HTMLInputElement>('#file')?.files?.[0];
  if (!file) throw new Error('no file picked into #file');
  return file;
}

async function upload(file: File, options: RunOptions): Promise<{ key: string }> {
  const config = await benchConfig();
  switch (options.contender) {
    case 'raw':
      return uploadWithRaw(file, options);
    case 'tessera':
      return uploadWithTessera(file, { endpoint: config.endpoint, concurrency: options.concurrency, wholeFileSha256: true });
    case 'tessera-no-sha256':
      return uploadWithTessera(file, { endpoint: config.endpoint, concurrency: options.concurrency, wholeFileSha256: false });
    case 'tessera-no-checksums':
      return uploadWithTessera(file, {
        endpoint: config.endpointWithoutChecksums,
        concurrency: options.concurrency,
        wholeFileSha256: false,
      });
    case 'uppy':
      return uploadWithUppy(file, options);
    case 'lib-storage':
      return uploadWithLibStorage(file, options);
    case 'evaporate':
      return uploadWithEvaporate(file, options);
  }
}

async function run(options: RunOptions): Promise<RunResult> {
  const file = pickedFile();
  await benchConfig(); // fetched before the clock starts, for every contender alike
  const started = performance.now();
  const { key } = await upload(file, options);
  const finished = performance.now();
  return { key, size: file.size, ms: finished - started, longTasks: await longTasksBetween(started, finished) };
}

const benchPage: BenchPage = {
  ready: Promise.resolve(),
  isReady: false,
  pickedFile,
  run,
  resume: resumeDriver,
  record: recordWhileUploading,
};
benchPage.ready = benchConfig().then(() => {
  benchPage.isReady = true;
});
window.benchPage = benchPage;
