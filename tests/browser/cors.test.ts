/**
 * The handler's `cors` option in real Chromium: the test page on one origin, the handler on another (the
 * same host, another port), the engine calling it with an absolute endpoint, and the store on a third.
 */
import type { UploadHandlerOptions } from '@tessera/server-adapter';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  API_PATH,
  callsOf,
  Cleanup,
  engineState,
  launchChromium,
  makeTestFile,
  openTestPage,
  pickFile,
  startEngineUpload,
  startTestApp,
  storedObjectSha256,
  testFilePath,
  untilEngine,
} from '../support/browserHarness.js';

const MiB = 1024 * 1024;
const store = inject('store');
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** What `authorize` was asked, per request. */
interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  cookie: string | null;
}

/** The page's credentials on the handler's origin: a bearer token, since cookies stay on the page's origin. */
const BEARER = { authorization: 'Bearer alice' };

/**
 * The test page on one origin and the handler on another, `handler(pageOrigin)` overriding the handler's
 * options; `authorize` knows bearer tokens only, and records every request it is asked about.
 */
async function crossOrigin(handler: (pageOrigin: string) => Partial<UploadHandlerOptions>) {
  const site = cleanup.add(await startTestApp({ store }), (app) => app.close());
  const seen: Seen[] = [];
  const authorize: UploadHandlerOptions['authorize'] = (request) => {
    const { pathname } = new URL(request.url);
    seen.push({
      method: request.method,
      path: pathname.slice(API_PATH.length),
      authorization: request.headers.get('authorization'),
      cookie: request.headers.get('cookie'),
    });
    const user = /^Bearer (\w+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    return user ? { userId: user } : null;
  };
  const api = cleanup.add(await startTestApp({ store, handler: { authorize, ...handler(site.origin) } }), (app) =>
    app.close(),
  );
  const opened = await openTestPage(browser, site);
  cleanup.add(opened.context, (context) => context.close());
  expect(api.origin).not.toBe(site.origin);
  return { ...opened, site, api, seen, endpoint: `${api.origin}${API_PATH}` };
}

describe('a page calling the handler on another origin', () => {
  it('uploads byte-identical through a handler whose cors option allows the page', async () => {
    const size = 24 * MiB + 123;
    const path = cleanup.file(testFilePath('cors-upload.bin'));
    const sha256 = await makeTestFile(path, size, 21);
    const { page, site, api, seen, endpoint, pageErrors, consoleErrors } = await crossOrigin((origin) => ({
      cors: { origins: [origin], allowHeaders: ['authorization'] },
    }));
    await pickFile(page, path);

    const id = await startEngineUpload(page, { endpoint, headers: BEARER });
    const done = await untilEngine(page, id, "s.status === 'completed'");

    expect(await storedObjectSha256(store, done.result?.key ?? '')).toEqual({ sha256, size });
    expect(Buffer.from(done.result?.sha256 ?? '', 'base64').toString('hex')).toBe(sha256);
    const calls = callsOf(api);
    const preflights = calls.filter((call) => call.startsWith('OPTIONS'));
    const requests = calls.filter((call) => !call.startsWith('OPTIONS'));
    // Each URL is preflighted (Chromium then caches the answer for the URL, for Access-Control-Max-Age).
    expect(new Set(preflights)).toEqual(
      new Set(['OPTIONS /v1/uploads 204', 'OPTIONS /:id/sign 204', 'OPTIONS /:id/complete 204']),
    );
    const signs = requests.slice(1, -1);
    expect(requests).toEqual(['POST /v1/uploads 201', ...signs, 'POST /:id/complete 200']);
    expect(signs.length).toBeGreaterThanOrEqual(1);
    expect(signs.every((call) => call === 'POST /:id/sign 200')).toBe(true);
    // authorize saw the real requests only, each with the page's bearer token and none of its cookies.
    expect(seen).toEqual(requests.map(() => expect.objectContaining({ authorization: BEARER.authorization, cookie: null })));
    expect(seen.map(({ method }) => method)).not.toContain('OPTIONS');
    // The page's own origin served nothing but the page.
    expect(site.apiCalls).toEqual([]);
    expect(pageErrors).toEqual([]);
    // (The one console error of every test page is its missing favicon.)
    expect(consoleErrors.filter((message) => /CORS|Access-Control/.test(message))).toEqual([]);
  });

  it('reads an error answer of an allowed handler: 401 unauthenticated, not a network error', async () => {
    const { page, api, endpoint, seen } = await crossOrigin((origin) => ({
      cors: { origins: [origin], allowHeaders: ['authorization'] },
    }));
    const path = cleanup.file(testFilePath('cors-anonymous.bin'));
    await makeTestFile(path, MiB, 22);
    await pickFile(page, path);

    const id = await startEngineUpload(page, { endpoint }); // no bearer token
    const failed = await untilEngine(page, id, "s.status === 'failed'");

    expect(failed.error?.code).toBe('unauthenticated');
    expect(callsOf(api)).toEqual(['OPTIONS /v1/uploads 204', 'POST /v1/uploads 401']);
    expect(seen).toEqual([{ method: 'POST', path: '/v1/uploads', authorization: null, cookie: null }]);
  });

  it.each([
    {
      name: 'a handler without the cors option',
      handler: () => ({}),
      preflight: 'OPTIONS /v1/uploads 405',
      console: /blocked by CORS policy: Response to preflight request doesn't pass access control check/,
    },
    {
      name: 'a handler that allows only another origin',
      handler: () => ({ cors: { origins: ['http://127.0.0.1:1'], allowHeaders: ['authorization'] } }),
      preflight: 'OPTIONS /v1/uploads 403',
      console: /blocked by CORS policy: Response to preflight request doesn't pass access control check/,
    },
    {
      name: 'a handler that allows the page but not the header it sends (allowHeaders)',
      handler: (origin: string) => ({ cors: { origins: [origin] } }),
      preflight: 'OPTIONS /v1/uploads 204',
      console: /Request header field authorization is not allowed by Access-Control-Allow-Headers/,
    },
  ])('fails against $name: the preflight is refused, create never reaches authorize', async (trial) => {
    const { page, api, endpoint, seen, consoleErrors } = await crossOrigin(trial.handler);
    const path = cleanup.file(testFilePath('cors-refused.bin'));
    await makeTestFile(path, MiB, 23);
    await pickFile(page, path);

    // A refused preflight is a network error to the page, which the engine cannot tell from an outage: it
    // retries create within serverRetry's patience (ten minutes by default; one second here), then fails.
    const serverRetry = { baseMs: 50, capMs: 200, giveUpAfterMs: 1_000 };
    const id = await startEngineUpload(page, { endpoint, headers: BEARER, serverRetry });
    const failed = await untilEngine(page, id, "s.status === 'failed'");

    // Chromium sends the preflight, finds no permission in its answer and never sends the POST: to the
    // page it is a network error (the engine's retryable network-error), and the handler never ran it.
    expect(failed.error?.code).toBe('network-error');
    const calls = callsOf(api);
    expect(calls.length).toBeGreaterThan(1);
    expect(new Set(calls)).toEqual(new Set([trial.preflight]));
    expect(seen).toEqual([]);
    expect(consoleErrors.join('\n')).toMatch(trial.console);
    expect((await engineState(page, id)).status).toBe('failed');
  });

  it('a request that needs no preflight reaches the handler, but without cors the page cannot read the answer', async () => {
    const { page, api, endpoint, seen } = await crossOrigin(() => ({}));
    // A "simple" request (text/plain, no custom header) with cookies: the browser sends it without asking.
    const outcome = await page.evaluate(
      (url) =>
        window.tesseraPage.tryFetch(url, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ fileName: 'a.txt', contentType: 'text/plain', size: 1 }),
        }),
      `${endpoint}/v1/uploads`,
    );

    expect(outcome).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    // It ran, authorize included (with the page's cookie: same site, another port); only the answer was hidden.
    // Nothing was created: this authorize wants a bearer token, and the body would fail as not JSON (415).
    expect(callsOf(api)).toEqual(['POST /v1/uploads 401']);
    expect(seen).toEqual([{ method: 'POST', path: '/v1/uploads', authorization: null, cookie: 'tessera-test-user=alice' }]);
  });
});
