/**
 * Killing a tab at the two moments that are hard to hit from outside: while the complete request is in flight,
 * and while a checkpoint is being written.
 *
 * - Complete: the page's complete request is intercepted (Playwright route) and sent to the app server from
 *   Node, so it completes the upload whatever becomes of the tab; the tab is killed while that request is in
 *   flight, or once the server has answered and before the page hears the answer.
 * - Checkpoint write: an init script wraps `IDBObjectStore.prototype.put`. When the engine writes a checkpoint
 *   listing at least the armed number of parts (it writes one right after every confirmed part), the wrapper
 *   queues the write, then blocks the page's main thread in a synchronous request to a kill switch in Node;
 *   the switch crashes the renderer (CDP `Page.crash`, which works on the renderer's IO thread). The
 *   IndexedDB transaction only commits once the task that made the write ends, which never happens: the tab
 *   dies with the part stored and its checkpoint write under way.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { API_PATH, TEST_USER_COOKIE } from '../support/browserHarness.js';

/** What the page's checkpoint hook reads. */
interface HookedWindow {
  soakKillAtParts?: number;
}

/** Runs in the page before its scripts: see the module's comment. */
function checkpointWriteHook(killSwitchUrl: string): void {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const request = put.call(this, value, key);
    const hooked = window as unknown as HookedWindow;
    const armed = hooked.soakKillAtParts;
    const parts = (value as { parts?: unknown } | null)?.parts;
    if (this.name === 'checkpoints' && armed !== undefined && Array.isArray(parts) && parts.length >= armed) {
      hooked.soakKillAtParts = undefined;
      const blocking = new XMLHttpRequest();
      blocking.open('GET', `${killSwitchUrl}?parts=${parts.length}`, false);
      try {
        blocking.send();
      } catch {
        // the switch never answers; the tab dies here
      }
    }
    return request;
  };
}

/** A server the hooked page calls synchronously when it is to die; it never answers. */
export interface KillSwitch {
  /** Install the hook in `context` (its pages loaded from now on) and arm it in `page`: kill at `parts` parts. */
  arm(context: BrowserContext, page: Page, parts: number): Promise<void>;
  /** Resolves with the parts the checkpoint being written listed, once the page called the switch. */
  hit(): Promise<number>;
  close(): Promise<void>;
}

export async function startKillSwitch(): Promise<KillSwitch> {
  let onHit: ((parts: number) => void) | undefined;
  const server = createServer((req) => {
    onHit?.(Number(new URL(req.url ?? '/', 'http://switch.invalid').searchParams.get('parts')));
    onHit = undefined;
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kill`;
  return {
    async arm(context, page, parts) {
      await context.addInitScript(checkpointWriteHook, url);
      await page.reload();
      await page.waitForFunction(() => window.tesseraPage?.isReady === true);
      await page.evaluate((armed) => {
        (window as unknown as HookedWindow).soakKillAtParts = armed;
      }, parts);
    },
    hit: () => new Promise<number>((done) => (onHit = done)),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** How the complete of {@link killDuringComplete} went on the server. */
export interface CompleteKill {
  /** Resolves once the tab was killed, with the status the app server answered the complete with. */
  done: Promise<number>;
}

/**
 * Kill the tab during its complete: `in-flight` kills it as soon as the request is on its way to the server,
 * `answer-lost` once the server answered. Either way the server gets the whole request and completes.
 */
export async function killDuringComplete(
  page: Page,
  options: { appOrigin: string; user: string; variant: 'in-flight' | 'answer-lost'; kill: () => Promise<void> },
): Promise<CompleteKill> {
  let settle: (status: number) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<number>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  await page.route(`**${API_PATH}/v1/uploads/*/complete`, async (route: Route) => {
    try {
      const request = route.request();
      const headers = Object.fromEntries(
        Object.entries(await request.allHeaders()).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
      );
      const forwarded = fetch(`${options.appOrigin}${new URL(request.url()).pathname}`, {
        method: 'POST',
        headers: { ...headers, cookie: `${TEST_USER_COOKIE}=${options.user}` },
        body: request.postData() ?? undefined,
      }).then(async (answer) => {
        await answer.arrayBuffer();
        return answer.status;
      });
      if (options.variant === 'in-flight') {
        await options.kill();
        settle(await forwarded);
      } else {
        const status = await forwarded;
        await options.kill();
        settle(status);
      }
      // The route is never answered: the page that asked is gone.
    } catch (error) {
      fail(error);
    }
  });
  return { done };
}
