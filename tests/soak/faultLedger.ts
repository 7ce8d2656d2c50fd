/**
 * Which request a fault proxy faulted, and how, with an exact share of faults. The proxy only counts faults per
 * kind; the soak suite also wants them per call (a create whose answer was lost leaves an upload open, a lost
 * sign does not), and a share that does not drift below its target in a short run. The proxy documents its
 * draws: for each request `isFaultable` accepts, one draw decides whether it fails and, if it does, one more
 * picks the kind. The ledger supplies both functions: of every `faultEvery` requests in a row, the one at a
 * seeded random position fails, with a kind drawn from the seed.
 */
import { FAULT_KINDS, type FaultKind, type FaultProxyOptions, mulberry32 } from '../support/faultProxy.js';

/** One faulted request. */
export interface LedgerEntry {
  method: string;
  /** The request's path, without the query. */
  path: string;
  kind: FaultKind;
}

export interface FaultLedger {
  /** Pass these to `startFaultProxy`. */
  proxyOptions: Required<Pick<FaultProxyOptions, 'random' | 'isFaultable' | 'kinds' | 'faultRate'>>;
  /** Requests that could be faulted, and the ones that were. */
  faultable(): number;
  entries(): LedgerEntry[];
  /** Faults that really failed the request: a mid-body reset of a request without a body forwards it whole. */
  effective(): LedgerEntry[];
}

export function faultLedger(options: {
  seed: number;
  /** One request in every block of this many fails. */
  faultEvery: number;
  kinds?: readonly FaultKind[];
  isFaultable: (req: { method: string; url: string }) => boolean;
}): FaultLedger {
  const kinds = options.kinds ?? FAULT_KINDS;
  const draw = mulberry32(options.seed);
  const entries: LedgerEntry[] = [];
  let faultable = 0;
  const faultRate = 1 / options.faultEvery;
  let pending: { method: string; url: string } | undefined;
  let decided = false;
  let faultAt = 0;
  return {
    proxyOptions: {
      kinds,
      faultRate,
      isFaultable(req) {
        const accepted = options.isFaultable(req);
        if (accepted) {
          faultable++;
          pending = req;
          decided = false;
        }
        return accepted;
      },
      random() {
        if (pending === undefined) return draw();
        if (!decided) {
          decided = true;
          const position = (faultable - 1) % options.faultEvery;
          if (position === 0) faultAt = Math.floor(draw() * options.faultEvery);
          if (position === faultAt) return 0;
          pending = undefined;
          return 1 - Number.EPSILON;
        }
        const value = draw();
        const kind = kinds[Math.min(kinds.length - 1, Math.floor(value * kinds.length))] as FaultKind;
        entries.push({ method: pending.method, path: new URL(pending.url, 'http://ledger.invalid').pathname, kind });
        pending = undefined;
        return value;
      },
    },
    faultable: () => faultable,
    entries: () => [...entries],
    effective: () =>
      entries.filter((entry) => !(entry.kind === 'reset-mid-body' && (entry.method === 'GET' || entry.method === 'DELETE'))),
  };
}

/** `entries` counted by `key`, as `key n, key n` (most first). */
export function countsBy<T>(entries: readonly T[], key: (entry: T) => string): string {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(key(entry), (counts.get(key(entry)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}
