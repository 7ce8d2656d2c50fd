/**
 * Sign requests the app server fails, end to end: the engine in Node through a fault proxy in front of the
 * real handler (the store reached directly) that faults only `POST …/sign`: 503 answers, connections reset
 * while the request is sent, and reset after the handler signed (the answer is lost). Each layer that retries a sign is tested alone: the
 * reliable transport (several failures of one call in a row), then the upload machine's own sign retry with
 * the transport's retries turned off. (flakyAppServer.test.ts faults every kind of call, once each.)
 */
import {
  createUpload,
  type ServerRetry,
  type UploadOptions,
} from '@tessera/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storedObjectSha256 } from '../support/browserTestFiles.js';
import { type FaultKind, type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { sha256Hex, testBytes } from '../support/protocolClient.js';
import { nodeEngineOptions, testSource } from '../support/nodeEngine.js';
import { startUploadServer, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const KINDS: FaultKind[] = ['status-503', 'reset-before-response', 'reset-mid-body'];
const store = inject('store');
let server: UploadServer;

beforeAll(async () => {
  // 5 MiB parts, one in flight: a sign request every two parts.
  server = await startUploadServer(store, { policy: { preferredPartSize: 5 * MiB } });
});
afterAll(() => server.close());

/**
 * Draws for the proxy, which draws once per sign call (fail?) and once more for a failing call (which kind):
 * the sign calls meet `pattern`'s outcomes in turn, over and over.
 */
function signCalls(pattern: ReadonlyArray<FaultKind | 'pass'>): () => number {
  const draws = pattern.flatMap((outcome) =>
    outcome === 'pass' ? [0.99] : [0.01, (KINDS.indexOf(outcome) + 0.5) / KINDS.length],
  );
  let index = 0;
  return () => draws[index++ % draws.length] as number;
}

/** A proxy in front of the app server faulting only sign calls. */
function signFaultingProxy(random: () => number): Promise<FaultProxy> {
  return startFaultProxy({
    target: new URL(server.url).origin,
    kinds: KINDS,
    faultRate: 0.5,
    random,
    isFaultable: ({ method, url }) => method === 'POST' && new URL(url, 'http://app.invalid').pathname.endsWith('/sign'),
  });
}

function options(proxy: FaultProxy, data: Uint8Array<ArrayBuffer>, extra: Partial<UploadOptions>): UploadOptions {
  const endpoint = `${proxy.url}${new URL(server.url).pathname}`;
  return nodeEngineOptions(endpoint, { source: testSource(data), concurrency: 1, autoStart: true, ...extra });
}

describe('sign requests the app server fails', () => {
  it('are retried by the reliable transport, three failures of one call in a row, and the upload completes', async () => {
    const proxy = await signFaultingProxy(signCalls(['status-503', 'reset-before-response', 'reset-mid-body', 'pass']));
    try {
      const data = testBytes(40 * MiB, 51);
      const retries: ServerRetry[] = [];
      const upload = createUpload(
        options(proxy, data, { serverRetry: { baseMs: 50, capMs: 500 }, onServerRetry: (retry) => retries.push(retry) }),
      );
      const result = await upload.done();
      expect(await storedObjectSha256(store, result.key)).toEqual({ sha256: sha256Hex(data), size: data.length });
      const stats = proxy.stats();
      console.log(`sign (transport): ${stats.faultable} sign calls, ${stats.totalFaults} failed ${JSON.stringify(stats.faults)}`);
      // Every sign call that passed failed three times first; the machine saw none of it.
      expect(stats.totalFaults).toBe(3 * (stats.faultable / 4));
      for (const kind of KINDS) expect(stats.faults[kind]).toBeGreaterThan(0);
      expect(retries).toHaveLength(stats.totalFaults);
      expect(retries.every((retry) => retry.call === 'sign')).toBe(true);
      expect(retries.map((retry) => retry.attempt).slice(0, 3)).toEqual([0, 1, 2]);
      expect(new Set(retries.map((retry) => retry.error.code))).toEqual(new Set(['store-error', 'network-error']));
    } finally {
      await proxy.close();
    }
  });

  it('with the transport not retrying, are retried by the upload machine, and the upload completes', async () => {
    const proxy = await signFaultingProxy(
      signCalls(['status-503', 'pass', 'reset-before-response', 'pass', 'reset-mid-body', 'pass']),
    );
    try {
      const data = testBytes(40 * MiB, 52);
      const retries: ServerRetry[] = [];
      const upload = createUpload(
        options(proxy, data, {
          serverRetry: { maxAttempts: 1 },
          onServerRetry: (retry) => retries.push(retry),
          retry: { baseMs: 50, capMs: 500 },
        }),
      );
      // Each failure the machine meets raises its count of sign failures in a row (a success clears it).
      let machineRetries = 0;
      let previous = 0;
      const subscription = upload.actor.subscribe((snapshot) => {
        const failures = snapshot.context.signFailures;
        if (failures > previous) machineRetries++;
        previous = failures;
      });
      const result = await upload.done();
      subscription.unsubscribe();
      expect(await storedObjectSha256(store, result.key)).toEqual({ sha256: sha256Hex(data), size: data.length });
      const stats = proxy.stats();
      console.log(`sign (machine): ${stats.faultable} sign calls, ${stats.totalFaults} failed ${JSON.stringify(stats.faults)}`);
      expect(retries).toEqual([]);
      expect(stats.totalFaults).toBe(Math.floor(stats.faultable / 2));
      for (const kind of KINDS) expect(stats.faults[kind]).toBeGreaterThan(0);
      expect(machineRetries).toBe(stats.totalFaults);
    } finally {
      await proxy.close();
    }
  });
});
