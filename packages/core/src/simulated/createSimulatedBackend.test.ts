import { describe, expect, it } from 'vitest';
import { createHashWasmHasher } from '../adapters/hashWasmHasher.js';
import { createMemoryCheckpointStore } from '../adapters/memoryCheckpointStore.js';
import { createUpload } from '../createUpload.js';
import { createSimulatedBackend } from './createSimulatedBackend.js';

const file = (size: number) => new File([Uint8Array.from({ length: size }, (_, i) => i % 251)], 'sim.bin');
const run = (backend: ReturnType<typeof createSimulatedBackend>, size: number) =>
  createUpload({
    source: file(size),
    endpoint: '/simulated',
    ...backend,
    hasher: createHashWasmHasher(),
    checkpoints: createMemoryCheckpointStore(),
    retry: { baseMs: 10, capMs: 50, maxAttempts: 20 },
    probeIntervalMs: 50,
    autoStart: true,
  });

describe('createSimulatedBackend', () => {
  it('completes an upload, with progress and a multipart ETag the engine checks', async () => {
    const backend = createSimulatedBackend({ latencyMs: 1, bytesPerSecond: 200e6, partSize: 5 * 2 ** 20 });
    const upload = run(backend, 12 * 2 ** 20);
    const fractions: number[] = [];
    upload.subscribe((snapshot) => fractions.push(snapshot.progress.fraction ?? 0));
    const result = await upload.done();
    expect(result.partCount).toBe(3);
    expect(result.etag).toMatch(/^[0-9a-f]{32}-3$/);
    expect(fractions.some((fraction) => fraction > 0 && fraction < 1)).toBe(true);
  });

  it('fails parts at the failure rate, and the engine still completes', async () => {
    // Every other PUT fails (halfway through, with a 503): deterministic, unlike a chance.
    let draws = 0;
    const random = () => (draws++ % 3 === 0 ? 0.1 : 0.6);
    const backend = createSimulatedBackend(
      { latencyMs: 1, bytesPerSecond: 500e6, failureRate: 0.4, partSize: 5 * 2 ** 20 },
      { random },
    );
    const upload = run(backend, 20 * 2 ** 20);
    let retries = 0;
    upload.subscribe((snapshot) => {
      retries = Math.max(retries, ...snapshot.parts.map((part) => part.attempt));
    });
    await upload.done();
    expect(retries).toBeGreaterThan(0);
  }, 20_000);

  it('goes offline and back on a knob', async () => {
    const backend = createSimulatedBackend({ latencyMs: 1, bytesPerSecond: 10e6, partSize: 5 * 2 ** 20 });
    const upload = run(backend, 20 * 2 ** 20);
    await new Promise<void>((resolve) => {
      const stop = upload.subscribe((snapshot) => {
        if (snapshot.status === 'uploading') {
          stop();
          resolve();
        }
      });
    });
    backend.setKnobs({ offline: true });
    expect(upload.getSnapshot().status).toBe('offline');
    backend.setKnobs({ offline: false, bytesPerSecond: 500e6 });
    await upload.done();
    expect(upload.getSnapshot().status).toBe('completed');
  });
});
