/**
 * GC: `abortStaleUploads` against the real store. A few uploads are created through the handler, a few more a
 * moment later; a sweep whose clock (`now`) is moved so that only the first ones are old enough must abort
 * exactly those and keep the young ones. Then a sweep of everything the soak rows left open (each row's user
 * under `uploads/soak-`), aged the same way, shows what the rows' orphans cost: one call.
 */
import { abortStaleUploads } from '@tessera/server-adapter';
import { API_PATH, Cleanup, startTestApp, TEST_USER_COOKIE } from '../support/browserHarness.js';
import { createUpload } from '../support/protocolClient.js';
import { handlerOptions } from '../support/uploadServer.js';
import { MiB, openUploads, sleep, type SoakEnvironment, userPrefix } from './soakEnvironment.js';
import type { SoakRow } from './soakReport.js';

const USER = 'soak-gc';
const DAY = 24 * 3_600_000;

export async function staleSweep(env: SoakEnvironment): Promise<SoakRow> {
  const started = performance.now();
  const cleanup = new Cleanup();
  try {
    const app = cleanup.add(await startTestApp({ store: env.store, pageDir: env.pageDir }), (running) => running.close());
    const base = `${app.origin}${API_PATH}`;
    const create = async (label: string, index: number) => {
      const reply = await createUpload(
        base,
        { fileName: `${label}-${index}.bin`, contentType: 'application/octet-stream', size: 12 * MiB },
        { user: null, headers: { cookie: `${TEST_USER_COOKIE}=${USER}` } },
      );
      if (reply.status !== 201) throw new Error(`create answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      return `${reply.body.key} ${reply.body.uploadId}`;
    };
    const { stale: staleCount, young: youngCount } = env.config.gc;
    const stale = await Promise.all(Array.from({ length: staleCount }, (_, index) => create('stale', index)));
    // The store keeps upload times to the second: the young ones start well after the cut-off.
    await sleep(2_500);
    const cutoff = Date.now();
    await sleep(2_500);
    const young = await Promise.all(Array.from({ length: youngCount }, (_, index) => create('young', index)));

    const s3 = handlerOptions(env.store).s3;
    const errors: string[] = [];
    const sweep = (prefix: string, now: number) =>
      abortStaleUploads({
        s3,
        bucket: env.store.bucket,
        prefix,
        olderThanMs: DAY,
        now: () => now,
        onError: (error, upload) => errors.push(`${upload.key}: ${String(error)}`),
      });
    const aborted = await sweep(userPrefix(USER), cutoff + DAY);
    const left = new Set(await openUploads(env.store, userPrefix(USER)));
    const sweptStale = stale.filter((upload) => !left.has(upload)).length;
    const keptYoung = young.filter((upload) => left.has(upload)).length;

    // Everything the other rows left open, and the young ones, is older than a day to a clock a day ahead.
    const orphans = (await openUploads(env.store, 'uploads/soak-')).filter((upload) => !left.has(upload));
    await sweep('uploads/soak-', Date.now() + 2 * DAY);
    const afterAll = await openUploads(env.store, 'uploads/soak-');
    const runs = staleCount + youngCount;
    return {
      id: 'GC',
      scenario: `abortStaleUploads: ${staleCount} stale and ${youngCount} young uploads`,
      runs,
      completed: sweptStale + keptYoung,
      byteIdentical: null,
      leftOpen: afterAll.length,
      figures:
        `stale swept ${sweptStale}/${staleCount} (the sweep reported ${aborted.length}), young kept ${keptYoung}/${youngCount}; ` +
        `then one sweep of uploads/soak-* aged 2 days: the ${orphans.length} the rows above left open and the young ones, ${orphans.length + keptYoung - afterAll.length} aborted, ${afterAll.length} left`,
      target: 'every stale one swept, every young one kept; nothing open after the final sweep',
      met: sweptStale === staleCount && keptYoung === youngCount && aborted.length === staleCount && afterAll.length === 0 && errors.length === 0,
      notes: [...errors.map((error) => `sweep error: ${error}`), ...(afterAll.length > 0 ? [`still open: ${afterAll.join('; ')}`] : [])],
      seconds: (performance.now() - started) / 1000,
      details: { stale, young, aborted, orphans, afterAll, errors },
    };
  } finally {
    await cleanup.run();
  }
}
