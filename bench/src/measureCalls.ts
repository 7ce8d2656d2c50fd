/**
 * Times calls of one handler operation back to back on this thread: calls per second of wall time (one
 * thread = one core, the store's latency included), calls per CPU-second of this process (the handler and
 * its S3 client; the store runs in other processes), latency percentiles, and the store requests each call
 * sent. Only the calls are timed: whatever they need is prepared before.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentile } from './stats.js';
import type { StoreRequestCounter, StoreRequestCounts } from './storeRequestCounter.js';

export interface CallFigures {
  calls: number;
  wallSeconds: number;
  cpuSeconds: number;
  perSecond: number;
  perCpuSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  storeRequests: StoreRequestCounts;
}

/** Run `call(0 … warmUp - 1)` untimed, then `call(warmUp … warmUp + calls - 1)` timed, one at a time. */
export async function measureCalls(
  counter: StoreRequestCounter,
  options: { calls: number; warmUp: number },
  call: (index: number) => Promise<unknown>,
): Promise<CallFigures> {
  const { calls, warmUp } = options;
  for (let index = 0; index < warmUp; index++) await call(index);
  const latencies: number[] = [];
  const requestsBefore = counter.snapshot();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = warmUp; index < warmUp + calls; index++) {
    const callStarted = performance.now();
    await call(index);
    latencies.push(performance.now() - callStarted);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    calls,
    wallSeconds,
    cpuSeconds,
    perSecond: calls / wallSeconds,
    perCpuSecond: calls / cpuSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    storeRequests: counter.perCallSince(requestsBefore, calls),
  };
}

let collectGarbage: (() => void) | undefined;

/** A full GC (V8's `gc`, exposed on demand for this measurement). */
function fullGc(): void {
  if (!collectGarbage) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/**
 * Heap growth with `inFlight` calls started at once, per call: the peak of `heapUsed` (sampled every
 * millisecond and as each call ends) over its value after a full GC, divided by `inFlight`. Garbage made
 * meanwhile counts too, so it is an upper bound of what a request in flight holds.
 */
export async function heapPerCall(inFlight: number, call: (index: number) => Promise<unknown>): Promise<number> {
  fullGc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const sampler = setInterval(sample, 1);
  try {
    await Promise.all(Array.from({ length: inFlight }, (_, index) => call(index).finally(sample)));
  } finally {
    clearInterval(sampler);
  }
  return (peak - baseline) / inFlight;
}
