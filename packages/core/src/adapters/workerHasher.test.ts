import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../errors.js';
import type { PartHash } from '../ports.js';
import { answerHashRequest, type HashWorkerRequest, type HashWorkerResponse } from './hashWorkerProtocol.js';
import { createWorkerHasher } from './workerHasher.js';

/** The part of Worker the pool uses; the test answers its messages (or `answerHashRequest` does). */
class FakeWorker {
  onmessage: ((event: { data: HashWorkerResponse }) => void) | null = null;
  onerror: ((event: { preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  posted: HashWorkerRequest[] = [];
  terminated = false;

  constructor(private readonly automatic: boolean) {}

  postMessage(request: HashWorkerRequest): void {
    this.posted.push(request);
    if (this.automatic) void answerHashRequest(request).then((response) => this.answer(response));
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(response: HashWorkerResponse): void {
    if (!this.terminated) this.onmessage?.({ data: response });
  }
  reply(result: PartHash): void {
    const request = this.posted.at(-1);
    if (request === undefined) throw new Error('nothing was posted');
    this.answer({ id: request.id, result });
  }
  crash(): void {
    this.onerror?.({ preventDefault() {} });
  }
}

function pool(options: { poolSize?: number; automatic?: boolean } = {}) {
  const workers: FakeWorker[] = [];
  const createWorker = () => {
    const worker = new FakeWorker(options.automatic ?? false);
    workers.push(worker);
    return worker as unknown as Worker;
  };
  return { hasher: createWorkerHasher({ createWorker, poolSize: options.poolSize ?? 2 }), workers };
}

const blob = (text: string) => new Blob([text]);
const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));

describe('createWorkerHasher', () => {
  it('starts workers on first use, routes parts to idle workers and queues the rest', async () => {
    const { hasher, workers } = pool();
    expect(workers).toHaveLength(0);
    const first = hasher.hashPart({ blob: blob('a'), algorithm: 'md5' });
    const second = hasher.hashPart({ blob: blob('b'), algorithm: 'sha256', sha256State: null });
    const third = hasher.hashPart({ blob: blob('c'), algorithm: 'md5' });
    expect(workers).toHaveLength(2);
    const [one, two] = workers;
    expect(one?.posted.map((request) => request.algorithm)).toStrictEqual(['md5']);
    expect(two?.posted).toMatchObject([{ algorithm: 'sha256', sha256State: null }]);
    two?.reply({ checksum: 'second' });
    await expect(second).resolves.toStrictEqual({ checksum: 'second' });
    expect(two?.posted).toHaveLength(2);
    two?.reply({ checksum: 'third' });
    one?.reply({ checksum: 'first' });
    expect(await Promise.all([first, third])).toStrictEqual([{ checksum: 'first' }, { checksum: 'third' }]);
    expect(workers).toHaveLength(2);
  });

  it('hashes like node:crypto through the worker protocol', async () => {
    const { hasher, workers } = pool({ automatic: true, poolSize: 3 });
    const parts = Array.from({ length: 7 }, (_, index) => randomBytes(5_000 * index + 1));
    const hashes = await Promise.all(parts.map((part) => hasher.hashPart({ blob: new Blob([part]), algorithm: 'md5' })));
    expect(hashes.map((hash) => hash.md5Hex)).toStrictEqual(
      parts.map((part) => createHash('md5').update(part).digest('hex')),
    );
    expect(workers).toHaveLength(3);
    expect(await hasher.sampleHash(blob('abc'))).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('rejects with the error code the worker answered', async () => {
    const { hasher, workers } = pool();
    const pending = settle(hasher.hashPart({ blob: blob('a'), algorithm: 'md5' }));
    const id = workers[0]?.posted[0]?.id ?? -1;
    workers[0]?.answer({ id, error: { code: 'source-error', message: 'could not read the file' } });
    const { error } = (await pending) as { error: unknown };
    expect(isTesseraError(error, 'source-error')).toBe(true);
    expect((error as Error).message).toBe('could not read the file');
  });

  it('rejects aborted parts at once, drops a queued one and ignores a late answer', async () => {
    const { hasher, workers } = pool({ poolSize: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    const first = settle(hasher.hashPart({ blob: blob('a'), algorithm: 'md5' }, running.signal));
    const second = settle(hasher.hashPart({ blob: blob('bb'), algorithm: 'md5' }, queued.signal));
    const third = hasher.hashPart({ blob: blob('ccc'), algorithm: 'md5' });
    queued.abort();
    running.abort();
    expect(isTesseraError(((await first) as { error: unknown }).error, 'aborted')).toBe(true);
    expect(isTesseraError(((await second) as { error: unknown }).error, 'aborted')).toBe(true);
    const worker = workers[0];
    expect(worker?.posted).toHaveLength(1);
    worker?.reply({ checksum: 'late' });
    expect(worker?.posted.map((request) => request.blob.size)).toStrictEqual([1, 3]);
    worker?.reply({ checksum: 'third' });
    await expect(third).resolves.toStrictEqual({ checksum: 'third' });
    const error: unknown = await hasher.hashPart({ blob: blob('d'), algorithm: 'md5' }, AbortSignal.abort()).catch(
      (reason: unknown) => reason,
    );
    expect(isTesseraError(error, 'aborted')).toBe(true);
  });

  it('hashes on the page from then on when a worker fails before its first answer', async () => {
    const { hasher, workers } = pool();
    const pending = hasher.hashPart({ blob: blob('abc'), algorithm: 'md5' });
    workers[0]?.crash();
    await expect(pending).resolves.toMatchObject({ md5Hex: createHash('md5').update('abc').digest('hex') });
    expect(workers[0]?.terminated).toBe(true);
    const later = hasher.hashPart({ blob: blob('x'), algorithm: 'sha256' });
    await expect(later).resolves.toStrictEqual({ checksum: createHash('sha256').update('x').digest('base64') });
    expect(workers).toHaveLength(1);
  });

  it('replaces a worker that crashes after answering, and retries its part', async () => {
    const { hasher, workers } = pool({ poolSize: 1 });
    const first = hasher.hashPart({ blob: blob('a'), algorithm: 'md5' });
    workers[0]?.reply({ checksum: 'first' });
    await first;
    const second = hasher.hashPart({ blob: blob('b'), algorithm: 'md5' });
    workers[0]?.crash();
    expect(workers).toHaveLength(2);
    expect(workers[1]?.posted).toHaveLength(1);
    workers[1]?.reply({ checksum: 'second' });
    await expect(second).resolves.toStrictEqual({ checksum: 'second' });
  });

  it('terminates its workers and rejects what is pending on dispose', async () => {
    const { hasher, workers } = pool({ poolSize: 1 });
    const running = settle(hasher.hashPart({ blob: blob('a'), algorithm: 'md5' }));
    const queued = settle(hasher.hashPart({ blob: blob('b'), algorithm: 'md5' }));
    hasher.dispose?.();
    expect(workers[0]?.terminated).toBe(true);
    for (const outcome of await Promise.all([running, queued])) {
      expect(isTesseraError((outcome as { error: unknown }).error, 'aborted')).toBe(true);
    }
    const again = hasher.hashPart({ blob: blob('c'), algorithm: 'md5' });
    expect(workers).toHaveLength(2);
    workers[1]?.reply({ checksum: 'again' });
    await expect(again).resolves.toStrictEqual({ checksum: 'again' });
  });

  it('hashes on the page where there is no Worker', async () => {
    expect(typeof Worker).toBe('undefined');
    const hasher = createWorkerHasher();
    await expect(hasher.hashPart({ blob: blob('abc'), algorithm: 'sha256' })).resolves.toStrictEqual({
      checksum: createHash('sha256').update('abc').digest('base64'),
    });
  });
});
