/**
 * R2: tabs killed (closed or crashed) at random points and at the worst moments — during complete, during a
 * checkpoint write, in the first second, in a recording's first seconds — then the page reopened in the same
 * browser profile and the upload taken up as a user would: resume what is offered (re-picking the file), or
 * start again when nothing is. Each kill runs in a fresh browser context.
 */
import type { EngineRunOptions, EngineState } from '../browser/page/engineDriver.js';
import {
  API_PATH,
  Cleanup,
  makeTestFile,
  openTestPage,
  pickFile,
  removeTestFile,
  startEngineUpload,
  startTestApp,
  type TestPage,
  testFilePath,
  untilEngine,
} from '../support/browserHarness.js';
import type { KillKind } from './soakConfig.js';
import {
  between,
  MiB,
  openUploads,
  patternSha256,
  seededStream,
  sleep,
  type SoakEnvironment,
  storedMatches,
  userPrefix,
} from './soakEnvironment.js';
import { killDuringComplete, type KillSwitch, startKillSwitch } from './killPoints.js';
import { bytesSent, type KillHow, killTab, offered, openTab, resumeLatest, settle, startRecording } from './soakPage.js';
import type { SoakRow } from './soakReport.js';

const USER = 'soak-r2';
const PART = 8 * MiB; // the handler's default part size
const RUN: EngineRunOptions = { endpoint: API_PATH, concurrency: 4 };
const RESEND_LIMIT = (RUN.concurrency ?? 4) * PART;
const RECORDING_CHUNK = 256 * 1024;

interface Kill {
  index: number;
  kind: KillKind;
  how: KillHow;
  size: number;
  seed: number;
  /** Random: the fraction sent; first second and recording: ms after the start; checkpoint: parts stored. */
  at: number;
  variant: 'in-flight' | 'answer-lost';
}

interface KillOutcome extends Kill {
  offered: number;
  /** Taken up from what was offered (not started again). */
  resumed: boolean;
  status: string;
  error: string | null;
  identical: boolean;
  resentBytes: number;
  /** Entries offered that could not be resumed, or still offered once the upload completed. */
  stale: number;
  /** Multipart uploads this kill left open. */
  leftOpen: string[];
  /** Checkpoint kills: parts the checkpoint in the browser listed when reopened, and parts when killed. */
  checkpointParts?: { stored: number; killedAt: number };
  /** Complete kills: what the server answered the complete the tab never heard. */
  serverAnswered?: number;
  /** Creates the server answered (201) for this kill before the tab died. */
  createsAnsweredBeforeKill: number;
  /** Part PUTs the reopened tab made (retries included). */
  putsAfterReopen: number;
}

function plan(env: SoakEnvironment): Kill[] {
  const random = seededStream(env, 'r2-kills');
  const { minBytes, maxBytes } = env.config.r2;
  return env.config.r2.kills.map((kind, index) => {
    const how: KillHow = kind === 'checkpoint' || random() < 0.5 ? 'crash' : 'close';
    const size = kind === 'complete' ? between(random, 20 * MiB, 40 * MiB) : between(random, minBytes, maxBytes);
    const at =
      kind === 'random'
        ? 0.05 + random() * 0.9
        : kind === 'first-second'
          ? between(random, 0, 1_000)
          : kind === 'recording'
            ? between(random, 500, 4_000)
            : kind === 'checkpoint'
              ? between(random, 1, Math.max(1, Math.ceil(size / PART) - 2))
              : 0;
    return { index, kind, how, size, seed: 2_000 + index, at, variant: random() < 0.5 ? 'in-flight' : 'answer-lost' };
  });
}

/** Start the upload in `tab` and kill the tab at the kill's point; resolves once it is dead. */
async function startAndKill(tab: TestPage, kill: Kill, file: string, killSwitch: KillSwitch, appOrigin: string) {
  const { context, page, cdp } = tab;
  const die = () => killTab(page, cdp, kill.how);
  if (kill.kind === 'recording') {
    const feed = { seed: kill.seed, chunkBytes: RECORDING_CHUNK, intervalMs: 50, totalBytes: kill.size, end: false };
    await startRecording(page, RUN, feed);
    await sleep(kill.at);
    await die();
    return {};
  }
  if (kill.kind === 'checkpoint') await killSwitch.arm(context, page, kill.at);
  const complete =
    kill.kind === 'complete'
      ? await killDuringComplete(page, { appOrigin, user: USER, variant: kill.variant, kill: die })
      : undefined;
  await pickFile(page, file);
  const hit = kill.kind === 'checkpoint' ? killSwitch.hit() : undefined;
  const id = await startEngineUpload(page, RUN);
  if (kill.kind === 'random') {
    await untilEngine(page, id, `s.fraction !== null && s.fraction >= ${kill.at}`, 300_000);
    await die();
  } else if (kill.kind === 'first-second') {
    await sleep(kill.at);
    await die();
  } else if (hit) {
    const killedAt = await hit;
    await die();
    return { killedAt };
  } else if (complete) {
    return { serverAnswered: await complete.done };
  }
  return {};
}

/** In a new tab of the same profile: take the upload up as offered, or start it again; then check the store. */
async function reopen(tab: TestPage, kill: Kill, file: string, appUrl: string) {
  const page = await openTab(tab.context, appUrl);
  const list = await offered(page);
  let stale = 0;
  let resumed = false;
  let settled: { state: EngineState; timedOut: boolean } | undefined;
  let expected = kill.size;
  if (kill.kind === 'recording') {
    const recorded = await page.evaluate(() => window.tesseraPage.engine?.recordedBytes() ?? 0);
    if (list.length > 0) {
      const taken = await page.evaluate((run) => window.tesseraPage.engine?.resumeRecording(run), RUN);
      if (taken) {
        settled = await settle(page, taken.id, 600_000);
        resumed = true;
        expected = Math.max(recorded, settled.state.result?.size ?? 0);
      }
    }
    if (!settled) expected = recorded;
  } else {
    await pickFile(page, file);
    if (list.length > 0) {
      settled = await settle(page, await resumeLatest(page, RUN), 600_000);
      resumed = settled.state.status === 'completed';
      // Offered, yet it cannot be taken up: the user is left to start again.
      if (settled.state.status === 'failed') stale++;
    }
    if (!settled || settled.state.status === 'failed') settled = await settle(page, await startEngineUpload(page, RUN), 600_000);
  }
  stale += (await offered(page)).length;
  const state = settled?.state;
  const sha256 = kill.kind === 'recording' ? patternSha256(kill.seed, RECORDING_CHUNK, expected) : undefined;
  return { page, list, stale, resumed, state, timedOut: settled?.timedOut ?? false, expected, sha256 };
}

export async function tabKills(env: SoakEnvironment): Promise<SoakRow> {
  const started = performance.now();
  const cleanup = new Cleanup();
  try {
    const app = cleanup.add(await startTestApp({ store: env.store, pageDir: env.pageDir }), (running) => running.close());
    const killSwitch = cleanup.add(await startKillSwitch(), (running) => running.close());
    const kills = plan(env);
    const outcomes: KillOutcome[] = [];
    for (const kill of kills) {
      const file = testFilePath(`soak-r2-${kill.index}.bin`);
      const fileSha256 = kill.kind === 'recording' ? '' : await makeTestFile(file, kill.size, kill.seed);
      const openBefore = new Set(await openUploads(env.store, userPrefix(USER)));
      const tab = await openTestPage(env.browser, app, { user: USER });
      const callsBefore = app.apiCalls.length;
      try {
        const killed = await startAndKill(tab, kill, file, killSwitch, app.origin);
        const createsAnsweredBeforeKill = app.apiCalls
          .slice(callsBefore)
          .filter((call) => call.method === 'POST' && call.path === '/v1/uploads' && call.status === 201).length;
        const back = await reopen(tab, kill, file, app.url);
        const key = back.state?.result?.key;
        const identical =
          key !== undefined &&
          (await storedMatches(env.store, key, { sha256: back.sha256 ?? fileSha256, size: back.expected }));
        const resentBytes = (await bytesSent(back.page)) - back.expected;
        const putsAfterReopen = ((await back.page.evaluate(() => window.tesseraPage.engine?.putLog())) ?? []).length;
        const leftOpen = (await openUploads(env.store, userPrefix(USER))).filter((upload) => !openBefore.has(upload));
        const outcome: KillOutcome = {
          ...kill,
          offered: back.list.length,
          resumed: back.resumed,
          status: back.timedOut ? `hung (${back.state?.status})` : (back.state?.status ?? 'not offered'),
          error: back.state?.error ? `${back.state.error.code}: ${back.state.error.message}` : null,
          identical,
          resentBytes,
          stale: back.stale,
          leftOpen,
          createsAnsweredBeforeKill,
          putsAfterReopen,
          ...('killedAt' in killed && killed.killedAt !== undefined
            ? { checkpointParts: { stored: back.list[0]?.parts ?? 0, killedAt: killed.killedAt } }
            : {}),
          ...('serverAnswered' in killed ? { serverAnswered: killed.serverAnswered } : {}),
        };
        outcomes.push(outcome);
        env.log(
          `R2 ${kill.index + 1}/${kills.length} ${kill.kind} (${kill.how}, at ${kill.kind === 'random' ? kill.at.toFixed(2) : kill.at}): ` +
            `offered ${outcome.offered}, ${outcome.resumed ? 'resumed' : 'started again'}, ${outcome.status}, ` +
            `${identical ? 'byte-identical' : 'NOT identical'}, ${(resentBytes / MiB).toFixed(1)} MiB re-sent, stale ${outcome.stale}, open ${leftOpen.length}`,
        );
      } finally {
        await tab.context.close();
        await removeTestFile(file);
      }
    }
    return summarise(env, kills, outcomes, performance.now() - started);
  } finally {
    await cleanup.run();
  }
}

function summarise(env: SoakEnvironment, kills: readonly Kill[], outcomes: KillOutcome[], ms: number): SoakRow {
  const completed = outcomes.filter((o) => o.status === 'completed').length;
  const identical = outcomes.filter((o) => o.identical).length;
  const resent = outcomes.map((o) => o.resentBytes);
  const maxResent = Math.max(0, ...resent);
  const meanResent = resent.reduce((sum, bytes) => sum + bytes, 0) / Math.max(1, resent.length);
  const stale = outcomes.reduce((sum, o) => sum + o.stale, 0);
  const leftOpen = outcomes.flatMap((o) => o.leftOpen);
  const ofKind = (kind: KillKind) => outcomes.filter((o) => o.kind === kind);
  const checkpointHits = ofKind('checkpoint').filter((o) => o.checkpointParts && o.checkpointParts.stored < o.checkpointParts.killedAt);
  const completes = ofKind('complete');
  const kinds = [...new Set(kills.map((kill) => kill.kind))].map((kind) => `${kind} ${ofKind(kind).length}`).join(', ');
  const notes = [
    `kills: ${kinds}; ${outcomes.filter((o) => o.how === 'crash').length} crashed (CDP Page.crash), the rest closed; concurrency ${RUN.concurrency}, ${PART / MiB} MiB parts, so the re-send limit is ${RESEND_LIMIT / MiB} MiB`,
    `during complete: the server completed ${completes.filter((o) => o.serverAnswered === 200).length}/${completes.length} (answered 200 to a tab that was gone); on reopen ${completes.filter((o) => o.resumed && o.status === 'completed').length} were recognised as completed without a new upload`,
    `during a checkpoint write (targeted by a hook on IndexedDB's put: when the engine writes a checkpoint listing the armed number of parts, right after a part is confirmed, the page blocks in a synchronous request to a kill switch that crashes the renderer, so the write never commits): ${checkpointHits.length}/${ofKind('checkpoint').length} tabs died with the write lost (the checkpoint in IndexedDB listed fewer parts than the store held: ${ofKind('checkpoint').map((o) => `${o.checkpointParts?.stored ?? '?'} of ${o.checkpointParts?.killedAt ?? '?'}`).join(', ')})`,
    ...outcomes
      .filter((o) => o.status !== 'completed' || !o.identical || o.stale > 0 || o.leftOpen.length > 0 || o.resentBytes > RESEND_LIMIT)
      .map(
        (o) =>
          `kill ${o.index} (${o.kind}, ${o.how}, at ${o.kind === 'random' ? o.at.toFixed(2) : o.at}${o.kind === 'complete' ? `, ${o.variant}` : ''}): offered ${o.offered}, ` +
          `${o.resumed ? 'resumed' : 'started again'}, ${o.status}${o.error ? ` (${o.error})` : ''}, ${o.identical ? 'byte-identical' : 'not byte-identical'}, ` +
          `${(o.resentBytes / MiB).toFixed(1)} MiB re-sent, ${o.stale} stale, left open: ${o.leftOpen.join('; ') || 'none'}` +
          (o.leftOpen.length > 0 ? ` (the server had answered ${o.createsAnsweredBeforeKill} create(s) with 201 before the tab died)` : ''),
      ),
  ];
  return {
    id: 'R2',
    scenario: `${kills.length} tab kills, then reopen and resume`,
    runs: kills.length,
    completed,
    byteIdentical: identical,
    leftOpen: leftOpen.length,
    figures: `re-sent per kill: max ${(maxResent / MiB).toFixed(1)} MiB, mean ${(meanResent / MiB).toFixed(1)} MiB; stale entries offered ${stale}`,
    target: `100 %, byte-identical, re-sent ≤ ${RESEND_LIMIT / MiB} MiB, 0 stale, 0 open`,
    met: completed === kills.length && identical === kills.length && maxResent <= RESEND_LIMIT && stale === 0 && leftOpen.length === 0,
    notes,
    seconds: ms / 1000,
    details: { outcomes },
  };
}
