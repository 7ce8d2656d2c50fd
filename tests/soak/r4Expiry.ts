/**
 * R4: things that expire mid-upload. Presigned part URLs that live 30 s, over an upload throttled (CDP) to take
 * about five minutes with pauses longer than the URLs live: it must complete byte-identical, re-signing what
 * went stale and never sending an expired URL. And an upload token that expires mid-upload: the upload cannot
 * go on, so what matters is what the user is shown — a typed error, soon, never a hang nor a success.
 */
import { createS3Gateway, type S3ClientConfig, type S3Gateway } from '@tessera/server-adapter';
import type { EngineRunOptions } from '../browser/page/engineDriver.js';
import {
  API_PATH,
  Cleanup,
  emulateNetwork,
  makeTestFile,
  openTestPage,
  pickFile,
  startEngineUpload,
  startTestApp,
  type TestAppOptions,
  testFilePath,
  untilEngine,
} from '../support/browserHarness.js';
import { handlerOptions } from '../support/uploadServer.js';
import { MiB, openUploads, seconds, sleep, type SoakEnvironment, storedMatches, userPrefix } from './soakEnvironment.js';
import { offered, pause, resume, settle } from './soakPage.js';
import type { SoakRow } from './soakReport.js';

const RUN: EngineRunOptions = { endpoint: API_PATH, concurrency: 4 };
const URL_TTL_SECONDS = 30;

/** Open a throttled page of a fresh app for `user`, with `file` picked. */
async function throttledUpload(
  env: SoakEnvironment,
  cleanup: Cleanup,
  options: { user: string; handler: TestAppOptions['handler']; file: string; uploadBytesPerSecond: number },
) {
  const app = cleanup.add(
    await startTestApp({ store: env.store, pageDir: env.pageDir, handler: options.handler }),
    (running) => running.close(),
  );
  const tab = await openTestPage(env.browser, app, { user: options.user });
  cleanup.add(tab.context, (context) => context.close());
  await emulateNetwork(tab.cdp, { uploadBytesPerSecond: options.uploadBytesPerSecond, latencyMs: 5 });
  await pickFile(tab.page, options.file);
  return { app, tab };
}

async function urlLifetime(env: SoakEnvironment): Promise<SoakRow | null> {
  const setup = env.config.r4.urlTtl;
  if (!setup) return null;
  const started = performance.now();
  const cleanup = new Cleanup();
  const user = 'soak-r4-url';
  try {
    const path = cleanup.file(testFilePath('soak-r4-url.bin'));
    const sha256 = await makeTestFile(path, setup.fileBytes, 4_001);
    // Every URL the handler presigns, counted on its gateway.
    const gateway = createS3Gateway(handlerOptions(env.store).s3 as S3ClientConfig, env.store.bucket);
    let urlsSigned = 0;
    const counting: S3Gateway = {
      ...gateway,
      presignUploadPart(input) {
        urlsSigned++;
        return gateway.presignUploadPart(input);
      },
    };
    const { app, tab } = await throttledUpload(env, cleanup, {
      user,
      handler: { urlTtlSeconds: URL_TTL_SECONDS, gateway: counting },
      file: path,
      uploadBytesPerSecond: setup.uploadBytesPerSecond,
    });
    const begun = performance.now();
    const id = await startEngineUpload(tab.page, RUN);
    for (let pauseNumber = 1; pauseNumber <= setup.pauses; pauseNumber++) {
      await untilEngine(tab.page, id, `s.fraction >= ${pauseNumber / (setup.pauses + 1)}`, 900_000);
      await pause(tab.page, id);
      await sleep(setup.pauseMs);
      await resume(tab.page, id);
    }
    const { state, timedOut } = await settle(tab.page, id, 900_000);
    const uploadMs = performance.now() - begun;
    const key = state.result?.key;
    const identical = key !== undefined && (await storedMatches(env.store, key, { sha256, size: setup.fileBytes }));
    const leftOpen = await openUploads(env.store, userPrefix(user));
    const puts = (await tab.page.evaluate(() => window.tesseraPage.engine?.putLog())) ?? [];
    const failedPuts = puts.filter((put) => !put.ok);
    const refusedPuts = failedPuts.filter((put) => put.failure !== 'aborted');
    const signRequests = app.apiCalls.filter((call) => call.path.endsWith('/sign')).length;
    const parts = state.parts.length;
    const completed = state.status === 'completed';
    return {
      id: 'R4',
      scenario: `${URL_TTL_SECONDS} s URLs, ${(uploadMs / 60_000).toFixed(1)}-min upload, ${setup.pauses} pause${setup.pauses === 1 ? '' : 's'} of ${setup.pauseMs / 1000} s`,
      runs: 1,
      completed: completed ? 1 : 0,
      byteIdentical: identical ? 1 : 0,
      leftOpen: leftOpen.length,
      figures: `${urlsSigned - parts} re-signs (${urlsSigned} URLs for ${parts} parts, ${signRequests} sign requests); PUTs refused by the store ${refusedPuts.length}, stopped by the pauses ${failedPuts.length - refusedPuts.length}`,
      target: '100 %, byte-identical, no expired URL sent, 0 open',
      met: completed && identical && !timedOut && refusedPuts.length === 0 && leftOpen.length === 0,
      notes: [
        `${setup.fileBytes / MiB} MiB throttled to ${setup.uploadBytesPerSecond / 1024} KiB/s upload (CDP), concurrency ${RUN.concurrency}, 8 MiB parts`,
        ...(refusedPuts.length > 0 ? [`refused PUTs: ${refusedPuts.map((put) => `part ${put.partNumber} ${put.failure}`).join(', ')}`] : []),
        ...(completed ? [] : [`${timedOut ? 'hung: ' : ''}${state.status} ${JSON.stringify(state.error)}`]),
      ],
      seconds: (performance.now() - started) / 1000,
      details: { urlsSigned, parts, signRequests, puts, uploadMs, history: state.history },
    };
  } finally {
    await cleanup.run();
  }
}

async function tokenExpiry(env: SoakEnvironment): Promise<SoakRow> {
  const setup = env.config.r4.token;
  const started = performance.now();
  const cleanup = new Cleanup();
  const user = 'soak-r4-token';
  try {
    const path = cleanup.file(testFilePath('soak-r4-token.bin'));
    await makeTestFile(path, setup.fileBytes, 4_002);
    const { app, tab } = await throttledUpload(env, cleanup, {
      user,
      handler: { tokenTtlSeconds: setup.tokenTtlSeconds },
      file: path,
      uploadBytesPerSecond: setup.uploadBytesPerSecond,
    });
    const begun = performance.now();
    const id = await startEngineUpload(tab.page, RUN);
    const expected = (setup.fileBytes / setup.uploadBytesPerSecond + setup.tokenTtlSeconds) * 1000;
    const { state, timedOut } = await settle(tab.page, id, expected + 120_000);
    const afterExpiryMs = performance.now() - begun - setup.tokenTtlSeconds * 1000;
    const refused = app.apiCalls.filter((call) => call.status >= 400);
    const offeredAfter = await offered(tab.page);
    const leftOpen = await openUploads(env.store, userPrefix(user));
    const shown = state.error
      ? `${state.status}, ${state.error.code}${state.error.status ? ` (HTTP ${state.error.status})` : ''}`
      : state.status;
    const typed = state.status === 'failed' && state.error?.code === 'token-expired';
    return {
      id: 'R4',
      scenario: `upload token expiring after ${setup.tokenTtlSeconds} s of a ${(expected / 1000 - setup.tokenTtlSeconds).toFixed(0)}-s upload`,
      runs: 1,
      completed: 0,
      byteIdentical: null,
      leftOpen: leftOpen.length,
      figures:
        `shown: ${shown}, ${seconds(afterExpiryMs)} after the token expired (${state.doneParts}/${state.parts.length} parts stored); ` +
        `calls refused: ${refused.map((call) => `${call.path.split('/').pop()} ${call.status}`).join(', ') || 'none'}; still offered after: ${offeredAfter.length}`,
      // The brief of this row is what the user is shown; an upload whose token expired cannot complete, and what it
      // leaves (an open upload, an entry still offered) is reported in the notes and swept by the GC row.
      target: "status 'failed' with code token-expired, no hang, no success",
      met: typed && !timedOut && state.result === null,
      notes: [
        `the message shown: "${state.error?.message ?? ''}"`,
        ...(refused.every((call) => call.path.endsWith('/complete'))
          ? [`no sign was refused: every part's URL was signed before the token expired, so the engine learned of the expiry only at complete, after sending all ${setup.fileBytes / MiB} MiB`]
          : []),
        ...(leftOpen.length > 0
          ? [`left open: ${leftOpen.join('; ')} — abort needs a live token (token-expired), so neither the engine nor the user can abort it; only abortStaleUploads (GC row) removes it`]
          : []),
        ...(offeredAfter.length > 0 ? [`the page still offers ${offeredAfter.length} entr${offeredAfter.length === 1 ? 'y' : 'ies'} for an upload that can no longer be resumed (its token expired)`] : []),
      ],
      seconds: (performance.now() - started) / 1000,
      details: { state, refused, offeredAfter, leftOpen, afterExpiryMs },
    };
  } finally {
    await cleanup.run();
  }
}

export async function expiries(env: SoakEnvironment): Promise<SoakRow[]> {
  const rows: SoakRow[] = [];
  const url = await urlLifetime(env);
  if (url) rows.push(url);
  rows.push(await tokenExpiry(env));
  for (const row of rows) env.log(`R4 ${row.scenario}: ${row.figures}`);
  return rows;
}
