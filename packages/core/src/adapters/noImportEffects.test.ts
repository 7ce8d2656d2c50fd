import { afterEach, describe, expect, it, vi } from 'vitest';

const BROWSER_GLOBALS = ['window', 'navigator', 'indexedDB', 'localStorage', 'location', 'XMLHttpRequest', 'Worker'];

afterEach(() => {
  for (const name of BROWSER_GLOBALS) Reflect.deleteProperty(globalThis, name);
});

// Core is `"sideEffects": false`: importing an adapter (all but the worker entry) must not read a browser global.
describe('adapters on import', () => {
  it('read no browser global', async () => {
    const touched = new Set<string>();
    for (const name of BROWSER_GLOBALS) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get: () => void touched.add(name),
      });
    }
    vi.resetModules();
    await Promise.all([
      import('./browserNetworkStatus.js'),
      import('./fetchPartUploader.js'),
      import('./fetchTransport.js'),
      import('./hashWasmHasher.js'),
      import('./indexedDbCheckpointStore.js'),
      import('./memoryCheckpointStore.js'),
      import('./systemClock.js'),
      import('./workerHasher.js'),
      import('./xhrPartUploader.js'),
    ]);
    expect([...touched]).toStrictEqual([]);
  });
});
