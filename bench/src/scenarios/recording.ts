/**
 * P5: recording lag. Core's `fromMediaRecorder` is fed random bytes at 8 Mbit/s in 250 ms slices by a
 * stand-in recorder while Tessera uploads the growing source; measured: the most bytes recorded but not yet
 * stored while recording, and the time from the recorder's `stop` to the completed object.
 */
import type { RecordingResult } from '../../page/pageTypes.js';
import type { BenchPlan, Section } from '../benchPlan.js';
import { openBenchPage } from '../benchBrowser.js';
import { mib, pass, spreadText, table } from '../format.js';
import { withTimeout } from '../measureUpload.js';
import { spread } from '../stats.js';
import { verifyAndDelete } from '../storedObject.js';

const CHUNK_MS = 250;

export async function recordingScenario(plan: BenchPlan): Promise<Section> {
  const { runs, concurrency, partSize, recordSeconds, recordBytesPerSecond } = plan.options;
  const { app, store, log } = plan.context;
  app.partSize = partSize;
  const measured: RecordingResult[] = [];
  const errors: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const session = await openBenchPage(app);
    try {
      const options = { bytesPerSecond: recordBytesPerSecond, chunkMs: CHUNK_MS, durationMs: recordSeconds * 1000, concurrency };
      const result = await withTimeout(
        session.page.evaluate((o) => window.benchPage.record(o), options),
        recordSeconds * 1000 + 120_000,
        'the recording upload did not finish',
      );
      await verifyAndDelete(store, result.key, {
        sha256: result.sha256,
        size: result.size,
        partCount: Math.ceil(result.size / result.partSize),
      });
      measured.push(result);
      log(
        `  recording run ${run}/${runs}: ${mib(result.size, 1)} MiB, max unsent ${mib(result.maxUnsentBytes, 2)} MiB ` +
          `(part ${mib(result.partSize)} MiB), full parts waiting at most ${mib(result.maxPendingPartBytes, 2)} MiB for at most ${result.maxFullToStoredMs.toFixed(0)} ms, stop → complete ${result.stopToCompleteMs.toFixed(0)} ms (verified)`,
      );
    } catch (error) {
      errors.push(String(error));
      log(`  recording run ${run}/${runs}: FAILED ${String(error)}`);
    } finally {
      await session.close();
    }
  }
  const unsent = spread(measured.map((m) => m.maxUnsentBytes));
  const pending = spread(measured.map((m) => m.maxPendingPartBytes));
  const fullToStored = spread(measured.map((m) => m.maxFullToStoredMs));
  const lag = spread(measured.map((m) => m.stopToCompleteMs));
  const part = measured[0]?.partSize ?? partSize;
  return {
    id: 'p5',
    title: `P5 recording lag — ${recordSeconds} s at ${((recordBytesPerSecond * 8) / 1e6).toFixed(0)} Mbit/s, ${CHUNK_MS} ms slices`,
    lines: [
      ...table(
        ['figure', 'median (min–max)', 'target', ''],
        [
          ['max unsent while recording (incl. the part filling), MiB', spreadText(unsent, 2, 2 ** 20), '', ''],
          [
            'max unsent beyond the part filling (full parts not yet stored), MiB',
            spreadText(pending, 2, 2 ** 20),
            `≤ one part (${mib(part)} MiB)`,
            pass(pending.max <= part),
          ],
          ['longest wait of a full part for the store, ms', spreadText(fullToStored, 0), '', ''],
          ['stop → completed object, ms', spreadText(lag, 0), '≤ 2000', pass(lag.max <= 2000)],
          ['longest main-thread task, ms', spreadText(spread(measured.map((m) => m.longTasks.maxMs)), 0), '≤ 50', ''],
        ],
      ),
      ...(errors.length ? ['', `Failed runs: ${errors.length} (${errors[0]})`] : []),
      '',
      'The source is core\'s `fromMediaRecorder` (each chunk persisted in OPFS, else IndexedDB, before the upload hears of it) ' +
        'driven by a stand-in recorder (an EventTarget dispatching `dataavailable` BlobEvents of random bytes, then `stop`); ' +
        '"unsent" = bytes the recorder handed over − bytes of parts the store confirmed. An S3 part cannot be sent before it is full ' +
        '(every part but the last is at least 5 MiB, and a stored part cannot grow), so up to one part is always unsent while it fills: ' +
        'the target "under one part" is read as the engine\'s own lag, the full parts not yet stored, which is one part at the instant ' +
        'it fills and must never grow to two. The wait of a full part for the store says how long that one part stays unsent.',
    ],
    data: { measured, errors },
  };
}
