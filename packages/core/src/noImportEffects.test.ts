import { afterEach, describe, expect, it, vi } from 'vitest';

const BROWSER_GLOBALS = [
  'window',
  'document',
  'navigator',
  'indexedDB',
  'localStorage',
  'location',
  'XMLHttpRequest',
  'Worker',
  'FileSystemFileHandle',
  'MediaRecorder',
];

afterEach(() => {
  for (const name of BROWSER_GLOBALS) Reflect.deleteProperty(globalThis, name);
});

// Core is `"sideEffects": false`: importing it (every module behind its public index, adapters and the
// recording module included) must not read a browser global, nor load localforage (which probes indexedDB).
describe('@tessera/core on import', () => {
  it('reads no browser global', async () => {
    const touched = new Set<string>();
    for (const name of BROWSER_GLOBALS) {
      Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.add(name) });
    }
    vi.resetModules();
    const core = await import('./index.js');
    expect(Object.keys(core).length).toBeGreaterThan(30);
    expect([...touched]).toStrictEqual([]);
  });
});
