/**
 * Two users of the demo on one shared browser: unfinished uploads are scoped to their user, so bob is not
 * offered alice's (its checkpoint stays in the browser for her); and the server binds every upload to its
 * user, so even with her token bob's browser can neither complete nor abort it (403); alice then finishes it
 * intact.
 */
import { describe, expect, inject, it } from 'vitest';
import {
  demoBrowserSuite,
  MiB,
  pickFile,
  screenshot,
  signIn,
  signOut,
  storedObjectSha256,
  storedPartNumbers,
  uploadItem,
  UploadTraffic,
  waitUntil,
} from './support/demoBrowser.js';

const app = inject('demoApp');
const store = inject('store');

const suite = demoBrowserSuite();

describe('demo app: two users', () => {
  it("bob is not offered alice's unfinished upload, cannot complete or abort it with her token (403); she finishes it", async () => {
    const { name, path, sha256 } = await suite.testFile('contract-scans.zip', 96 * MiB, 31);
    const { page } = await suite.openProfile();
    const traffic = new UploadTraffic().watch(page);

    // Alice starts, pauses after a few parts and signs out.
    await signIn(page, app, 'alice');
    await pickFile(page, path);
    await waitUntil('3 parts stored', () => traffic.partsStored(name) >= 3, 60_000);
    await page.getByRole('button', { name: `Pause ${name}` }).click();
    await uploadItem(page, name).and(page.locator('[data-state="paused"]')).waitFor();
    const { uploadId, key, token } = traffic.upload(name);
    const partsOfAlice = await storedPartNumbers(store, key, uploadId);
    await signOut(page, app);

    // Bob, on the same browser, is offered nothing of hers: the list is his own (scoped to the signed-in user).
    await signIn(page, app, 'bob');
    await page.getByRole('heading', { name: 'Upload files' }).waitFor();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('[data-tessera="resumable"]').filter({ hasText: name }).count()).resolves.toBe(0);
    await screenshot(page, 'other-users-upload-not-offered');

    // Completing or aborting with her token (read from this browser's storage) straight from his page is refused.
    const answers = await page.evaluate(
      async ({ uploadId, token }) => {
        const base = `/api/uploads/v1/uploads/${encodeURIComponent(uploadId)}`;
        const headers = { 'content-type': 'application/json', 'x-tessera-upload-token': token };
        const complete = await fetch(`${base}/complete`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ parts: [{ partNumber: 1, etag: 'x' }] }),
        });
        const abort = await fetch(base, { method: 'DELETE', headers });
        return [
          { status: complete.status, body: await complete.json() },
          { status: abort.status, body: await abort.json() },
        ];
      },
      { uploadId, token },
    );
    for (const answer of answers) expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await storedPartNumbers(store, key, uploadId)).toEqual(partsOfAlice);
    await signOut(page, app);

    // Alice is back: her upload continues from the parts stored and completes byte for byte.
    await signIn(page, app, 'alice');
    const hers = page.locator('[data-tessera="resumable"]').filter({ hasText: name });
    await hers.waitFor();
    await expect(hers.locator('[data-tessera="resumable-unverified"]').count()).resolves.toBe(0);
    const chooseAgain = page.waitForEvent('filechooser');
    await hers.getByRole('button', { name: `Choose file to resume ${name}` }).click();
    await (await chooseAgain).setFiles(path);
    await uploadItem(page, name).and(page.locator('[data-state="completed"]')).waitFor({ timeout: 60_000 });
    expect(traffic.completed.get(uploadId)?.key).toBe(key);
    expect(await storedObjectSha256(store, key)).toEqual({ sha256, size: 96 * MiB });
  });

  it('refuses a session cookie edited in the browser: pages send it to sign in, the API answers 401', async () => {
    const { context, page } = await suite.openProfile();
    await signIn(page, app, 'alice');
    const [session] = await context.cookies(app);
    expect(session?.httpOnly).toBe(true);
    const mac = session?.value.split('.')[1] ?? '';
    // Claim to be bob with alice's signature, as someone editing the cookie would.
    await context.addCookies([{ name: session?.name ?? '', value: `bob.${mac}`, url: app }]);
    await page.goto(`${app}/files`);
    expect(page.url()).toBe(`${app}/login`);
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/uploads/v1/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: 'x.bin', contentType: 'application/octet-stream', size: 1 }),
      });
      return response.status;
    });
    expect(status).toBe(401);
  });
});
