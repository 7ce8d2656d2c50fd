import { TesseraError } from '../errors.js';
import type { Hasher, PartHash } from '../ports.js';
import { abortedError } from './abortedError.js';
import { createHashWasmHasher } from './hashWasmHasher.js';
import type { HashWorkerRequest, HashWorkerResponse } from './hashWorkerProtocol.js';

/** Options for {@link createWorkerHasher}. */
export interface WorkerHasherOptions {
  /** Most workers hashing at once. @default 2 */
  poolSize?: number;
  /** Start one hash worker (tests pass a fake). @default a module worker running `hash.worker.js` */
  createWorker?: () => Worker;
}

interface Job {
  request: HashWorkerRequest;
  /** Settles the caller's promise; later calls do nothing. */
  settle(outcome: { hash: PartHash } | { error: TesseraError }): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** Whether this worker ever answered: one that fails before that cannot run at all here. */
  answered: boolean;
}

function defaultCreateWorker(): (() => Worker) | undefined {
  if (typeof Worker === 'undefined') return undefined;
  // This exact shape lets Vite, webpack and Next.js find and bundle the worker.
  return () => new Worker(new URL('./hash.worker.js', import.meta.url), { type: 'module' });
}

/**
 * A {@link Hasher} that hashes parts in a small pool of module workers (created on first use), so reading
 * and hashing 8 MiB parts never blocks the page. A part goes to an idle worker or waits in line. When a
 * worker cannot start (a bundler that left it out, a CSP without `worker-src`) or crashes, its part and all
 * later ones are hashed on the page with {@link createHashWasmHasher}, as they are where `Worker` does not
 * exist. `finishSha256` and `sampleHash` (small inputs) always run on the page. An abort rejects at once
 * with `aborted`; a worker busy with that part finishes it and its answer is dropped.
 *
 * @example
 * ```ts
 * const hasher = createWorkerHasher({ poolSize: 3 });
 * const { checksum } = await hasher.hashPart({ blob: file.slice(0, partSize), algorithm: 'md5' }, signal);
 * hasher.dispose?.();
 * ```
 */
export function createWorkerHasher(options: WorkerHasherOptions = {}): Hasher {
  const page = createHashWasmHasher();
  const createWorker = options.createWorker ?? defaultCreateWorker();
  if (createWorker === undefined) return page;
  const startWorker: () => Worker = createWorker;
  const poolSize = Math.max(1, Math.floor(options.poolSize ?? 2));
  let slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let workersUnusable = false;

  function hashOnPage(job: Job): void {
    page.hashPart(job.request).then(
      (hash) => job.settle({ hash }),
      (error: unknown) => job.settle({ error: asTesseraError(error) }),
    );
  }

  function retire(slot: Slot): void {
    slot.worker.terminate();
    slots = slots.filter((other) => other !== slot);
    if (!slot.answered) workersUnusable = true;
    if (slot.job !== undefined) queue.unshift(slot.job);
    dispatch();
  }

  function spawn(): Slot | undefined {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      workersUnusable = true;
      return undefined;
    }
    const slot: Slot = { worker, job: undefined, answered: false };
    worker.onmessage = (event: MessageEvent<HashWorkerResponse>) => {
      const { job } = slot;
      if (job === undefined || event.data.id !== job.request.id) return;
      slot.job = undefined;
      slot.answered = true;
      const answer = event.data;
      if ('result' in answer) job.settle({ hash: answer.result });
      else job.settle({ error: new TesseraError(answer.error.code, answer.error.message) });
      dispatch();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      retire(slot);
    };
    worker.onmessageerror = () => retire(slot);
    slots.push(slot);
    return slot;
  }

  function idleSlot(): Slot | undefined {
    return slots.find((slot) => slot.job === undefined) ?? (slots.length < poolSize ? spawn() : undefined);
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const slot = workersUnusable ? undefined : idleSlot();
      // Every worker busy: the queue waits for the next answer.
      if (slot === undefined && !workersUnusable) return;
      const job = queue.shift();
      if (job === undefined) return;
      if (slot === undefined) hashOnPage(job);
      else {
        slot.job = job;
        slot.worker.postMessage(job.request);
      }
    }
  }

  return {
    hashPart({ blob, algorithm, sha256State }, signal) {
      return new Promise<PartHash>((resolve, reject) => {
        if (signal?.aborted) return reject(abortedError('hashing', signal));
        const request: HashWorkerRequest = { id: nextId++, blob };
        if (algorithm !== undefined) request.algorithm = algorithm;
        if (sha256State !== undefined) request.sha256State = sha256State;
        let settled = false;
        const onAbort = () => {
          const index = queue.indexOf(job);
          if (index !== -1) queue.splice(index, 1);
          if (signal !== undefined) job.settle({ error: abortedError('hashing', signal) });
        };
        const job: Job = {
          request,
          settle(outcome) {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            if ('hash' in outcome) resolve(outcome.hash);
            else reject(outcome.error);
          },
        };
        signal?.addEventListener('abort', onAbort);
        queue.push(job);
        dispatch();
      });
    },
    finishSha256: page.finishSha256,
    sampleHash: page.sampleHash,
    dispose() {
      const pending = [...queue.splice(0), ...slots.flatMap((slot) => (slot.job === undefined ? [] : [slot.job]))];
      for (const slot of slots) slot.worker.terminate();
      slots = [];
      for (const job of pending) job.settle({ error: new TesseraError('aborted', 'the hasher was disposed') });
    },
  };
}

function asTesseraError(error: unknown): TesseraError {
  return error instanceof TesseraError ? error : new TesseraError('internal-error', String(error), { cause: error });
}
