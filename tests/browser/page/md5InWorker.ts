type Answer = { id: number; checksum: string } | { id: number; error: string };

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (checksum: string) => void; reject: (error: Error) => void }>();

/** Base64 MD5 of a Blob computed in a module worker, started on first use. */
export function md5Base64InWorker(blob: Blob): Promise<string> {
  if (worker === undefined) {
    // Written out in full so Vite recognises the pattern and bundles the worker as its own ES module.
    worker = new Worker(new URL('./md5.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<Answer>) => {
      const answer = event.data;
      const waiter = pending.get(answer.id);
      pending.delete(answer.id);
      if ('checksum' in answer) waiter?.resolve(answer.checksum);
      else waiter?.reject(new Error(answer.error));
    });
    worker.addEventListener('error', (event) => {
      for (const waiter of pending.values()) waiter.reject(new Error(`md5 worker failed: ${event.message}`));
      pending.clear();
    });
  }
  const id = nextId++;
  const started = worker;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    started.postMessage({ id, blob });
  });
}
