/**
 * How big each row of the soak suite is: the full run (`npm run soak`, about half an hour) or the short one CI runs
 * (`SOAK=short`, the vitest file tests/browser/soak.test.ts: a few uploads per row, no 5-minute rows).
 */

const MiB = 1024 * 1024;

export type SoakMode = 'full' | 'short';

/** The kinds of tab kill R2 makes (see r2TabKills.ts). */
export type KillKind = 'random' | 'first-second' | 'complete' | 'checkpoint' | 'recording';

export interface SoakConfig {
  mode: SoakMode;
  /** Seeds every random choice of the run (sizes, kill points, faults), so a run can be repeated. */
  seed: number;
  /** Only these rows (ids such as `R1`, `tabs`), or all. */
  rows: readonly string[] | null;
  r1: {
    uploads: number;
    minBytes: number;
    maxBytes: number;
    /** Every n-th upload is a growing source (a recording fed over time). */
    growingEvery: number;
    maxGrowingBytes: number;
    /** Uploads running at once in the page. */
    parallel: number;
    partSize: number;
    /** The store's fault proxy fails one part PUT in every block of this many (at a seeded random place). */
    putFaultEvery: number;
    /** The app server's fault proxy fails one call in every block of this many. */
    appFaultEvery: number;
  };
  r2: { kills: readonly KillKind[]; minBytes: number; maxBytes: number };
  r3: { offlineMs: readonly number[]; freezeMs: number; fileBytes: number };
  r4: {
    /** The 30 s URL lifetime over a throttled upload with pauses; `null` in the short run. */
    urlTtl: { fileBytes: number; uploadBytesPerSecond: number; pauses: number; pauseMs: number } | null;
    token: { tokenTtlSeconds: number; fileBytes: number; uploadBytesPerSecond: number };
  };
  tabs: { rounds: number; fileBytes: number };
  gc: { stale: number; young: number };
}

/** R2's twenty kills: each kind the issue names, the rest at random points. */
const FULL_KILLS: readonly KillKind[] = [
  ...Array<KillKind>(3).fill('complete'),
  ...Array<KillKind>(3).fill('checkpoint'),
  ...Array<KillKind>(4).fill('first-second'),
  ...Array<KillKind>(4).fill('recording'),
  ...Array<KillKind>(6).fill('random'),
];

export function soakConfig(mode: SoakMode, seed: number, rows: readonly string[] | null = null): SoakConfig {
  const full = mode === 'full';
  return {
    mode,
    seed,
    rows,
    r1: {
      uploads: full ? 100 : 4,
      minBytes: 5 * MiB,
      maxBytes: full ? 1024 * MiB : 48 * MiB,
      growingEvery: full ? 10 : 4,
      maxGrowingBytes: full ? 128 * MiB : 24 * MiB,
      parallel: 3,
      partSize: 5 * MiB,
      putFaultEvery: 4,
      appFaultEvery: 7,
    },
    r2: {
      kills: full ? FULL_KILLS : ['complete', 'checkpoint', 'first-second', 'recording', 'random'],
      minBytes: 48 * MiB,
      maxBytes: full ? 256 * MiB : 96 * MiB,
    },
    r3: { offlineMs: full ? [30_000, 300_000] : [30_000], freezeMs: full ? 30_000 : 10_000, fileBytes: (full ? 256 : 128) * MiB },
    r4: {
      urlTtl: full ? { fileBytes: 120 * MiB, uploadBytesPerSecond: 768 * 1024, pauses: 3, pauseMs: 35_000 } : null,
      token: full
        ? { tokenTtlSeconds: 20, fileBytes: 64 * MiB, uploadBytesPerSecond: MiB }
        : { tokenTtlSeconds: 8, fileBytes: 32 * MiB, uploadBytesPerSecond: MiB },
    },
    tabs: { rounds: full ? 3 : 1, fileBytes: 60 * MiB },
    gc: { stale: full ? 5 : 2, young: full ? 3 : 2 },
  };
}

/**
 * The configuration the environment asks for: `SOAK=short` or `full` (default `fallback`), `SOAK_SEED` (default:
 * a fixed seed for the short run, so CI repeats itself, and a fresh one for the full run), `SOAK_ROWS=R1,R3`.
 */
export function soakConfigFromEnv(env: NodeJS.ProcessEnv, fallback: SoakMode): SoakConfig {
  const mode: SoakMode = env.SOAK === 'short' || env.SOAK === 'full' ? env.SOAK : fallback;
  const seed = env.SOAK_SEED ? Number(env.SOAK_SEED) : mode === 'short' ? 15 : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`SOAK_SEED must be an integer, got ${env.SOAK_SEED}`);
  const rows = env.SOAK_ROWS ? env.SOAK_ROWS.split(',').map((row) => row.trim()) : null;
  return soakConfig(mode, seed, rows);
}
