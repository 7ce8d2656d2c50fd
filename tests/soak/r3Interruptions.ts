/**
 * R3: an upload interrupted mid-way by the network going away (30 s, 5 min) and by the page being frozen (CDP
 * `Page.setWebLifecycleState` frozen, then active, as a browser does to a background tab). Each must complete
 * byte-identical on its own; the figure is how long it took to get going again.
 */
import type { EngineState } from '../browser/page/engineDriver.js';
import {
  API_PATH,
  Cleanup,
  emulateNetwork,
  engineState,
  makeTestFile,
  openTestPage,
  pickFile,
  removeTestFile,
  setOffline,
  startEngineUpload,
  startTestApp,
  type TestApp,
  type TestPage,
  testFilePath,
  untilEngine,
} from '../support/browserHarness.js';
import { openUploads, seconds, sleep, type SoakEnvironment, storedMatches, userPrefix } from './soakEnvironment.js';
import { settle } from './soakPage.js';
import type { SoakRow } from './soakReport.js';

const USER = 'soak-r3';

interface Interruption {
  label: string;
  /** Throttle the page's uplink (CDP), so the upload is still under way when the interruption comes. */
  uploadBytesPerSecond?: number;
  /** Interrupt the page; resolves when the interruption is over (the moment recovery is timed from). */
  interrupt(tab: TestPage, id: string): Promise<{ before: EngineState; during: EngineState | null }>;
}

function offline(ms: number): Interruption {
  return {
    label: `offline ${ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`}`,
    async interrupt(tab, id) {
      const before = await engineState(tab.page, id);
      await setOffline(tab.context, true);
      const began = performance.now();
      await untilEngine(tab.page, id, "s.status === 'offline'", 60_000);
      await sleep(ms - (performance.now() - began) - 1_000);
      const during = await engineState(tab.page, id);
      await sleep(ms - (performance.now() - began));
      await setOffline(tab.context, false);
      return { before, during };
    },
  };
}

/** The longest the page's main thread went without running a 100 ms timer while `hold` ran, in ms. */
async function longestStop(tab: TestPage, hold: () => Promise<void>): Promise<number> {
  await tab.page.evaluate(() => {
    const beats: number[] = [];
    (window as unknown as { soakBeats: number[] }).soakBeats = beats;
    setInterval(() => beats.push(Date.now()), 100);
  });
  const from = Date.now();
  await hold();
  const beats = await tab.page.evaluate(() => (window as unknown as { soakBeats: number[] }).soakBeats);
  const times = [from, ...beats.filter((at) => at >= from), Date.now()];
  return Math.max(...times.slice(1).map((at, index) => at - (times[index] as number)));
}

/**
 * A frozen page: CDP `Page.setWebLifecycleState` frozen, then active. Where that does not freeze the page (the
 * page's timers kept running through a 2 s try), the page's main thread is stopped instead with CDP
 * `Debugger.pause` for the same time, and the row says so.
 */
function frozen(ms: number): Interruption {
  const interruption: Interruption & { how: string } = {
    label: `frozen page ${ms / 1000} s`,
    uploadBytesPerSecond: 8 * 1024 * 1024,
    how: 'Page.setWebLifecycleState',
    async interrupt(tab, id) {
      const before = await engineState(tab.page, id);
      const freeze = (forMs: number) => async () => {
        await tab.cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
        await sleep(forMs);
        await tab.cdp.send('Page.setWebLifecycleState', { state: 'active' });
      };
      if ((await longestStop(tab, freeze(2_000))) >= 1_500) {
        await freeze(ms)();
        return { before, during: null };
      }
      interruption.how = 'Debugger.pause (setWebLifecycleState did not freeze the page)';
      await tab.cdp.send('Debugger.enable');
      const stopped = await longestStop(tab, async () => {
        await tab.cdp.send('Debugger.pause');
        await sleep(ms);
        await tab.cdp.send('Debugger.resume');
      });
      await tab.cdp.send('Debugger.disable');
      interruption.how += `; main thread stopped ${(stopped / 1000).toFixed(1)} s`;
      return { before, during: null };
    },
  };
  return interruption;
}

async function interrupted(env: SoakEnvironment, app: TestApp, interruption: Interruption, index: number): Promise<SoakRow> {
  const started = performance.now();
  const { fileBytes } = env.config.r3;
  const path = testFilePath(`soak-r3-${index}.bin`);
  const sha256 = await makeTestFile(path, fileBytes, 3_000 + index);
  const tab = await openTestPage(env.browser, app, { user: USER });
  try {
    // Offline spells go through Playwright's offline switch, which must not be mixed with CDP conditions.
    if (interruption.uploadBytesPerSecond) {
      await emulateNetwork(tab.cdp, { uploadBytesPerSecond: interruption.uploadBytesPerSecond, latencyMs: 5 });
    }
    await pickFile(tab.page, path);
    const id = await startEngineUpload(tab.page, { endpoint: API_PATH });
    await untilEngine(tab.page, id, 's.doneParts >= 3');
    const { before, during } = await interruption.interrupt(tab, id);
    const back = performance.now();
    const moving = await untilEngine(tab.page, id, `s.status !== 'offline' || s.status === 'failed'`, 600_000);
    const resumedMs = performance.now() - back;
    await untilEngine(tab.page, id, `s.doneParts > ${moving.doneParts} || ['completed', 'failed'].includes(s.status)`, 600_000);
    const nextPartMs = performance.now() - back;
    const { state, timedOut } = await settle(tab.page, id, 900_000);
    const completedMs = performance.now() - back;
    const key = state.result?.key;
    const identical = key !== undefined && (await storedMatches(env.store, key, { sha256, size: fileBytes }));
    const leftOpen = await openUploads(env.store, userPrefix(USER));
    const heldProgress = (during?.fraction ?? moving.fraction ?? 0) >= (before.fraction ?? 0);
    const statusDuring = during ? `shown as ${during.status} during it, ` : '';
    const completed = state.status === 'completed';
    const how = 'how' in interruption ? [`frozen with CDP ${String(interruption.how)}`] : [];
    return {
      id: 'R3',
      scenario: `${interruption.label} mid-upload (${fileBytes / 2 ** 20} MiB)`,
      runs: 1,
      completed: completed ? 1 : 0,
      byteIdentical: identical ? 1 : 0,
      leftOpen: leftOpen.length,
      figures: `${statusDuring}sending again ${seconds(resumedMs)} after, next part stored ${seconds(nextPartMs)} after, completed ${seconds(completedMs)} after; progress ${heldProgress ? 'held' : 'went backwards'}`,
      target: 'completes byte-identical on its own, 0 open',
      met: completed && identical && !timedOut && leftOpen.length === 0,
      notes: [...how, ...(completed ? [] : [`${timedOut ? 'hung: ' : ''}${state.status} ${JSON.stringify(state.error)}`])],
      seconds: (performance.now() - started) / 1000,
      details: { before, during, resumedMs, nextPartMs, completedMs, history: state.history, leftOpen },
    };
  } finally {
    await tab.context.close();
    await removeTestFile(path);
  }
}

export async function interruptions(env: SoakEnvironment): Promise<SoakRow[]> {
  const cleanup = new Cleanup();
  try {
    const app = cleanup.add(await startTestApp({ store: env.store, pageDir: env.pageDir }), (running) => running.close());
    const cases = [...env.config.r3.offlineMs.map(offline), frozen(env.config.r3.freezeMs)];
    const rows: SoakRow[] = [];
    for (const [index, interruption] of cases.entries()) {
      rows.push(await interrupted(env, app, interruption, index));
      env.log(`R3 ${interruption.label}: ${rows.at(-1)?.figures}`);
    }
    return rows;
  } finally {
    await cleanup.run();
  }
}
