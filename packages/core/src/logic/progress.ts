/** Time constant of the transfer-rate average: a sample this old weighs 1/e as much as a new one. */
export const RATE_TIME_CONSTANT_MS = 2_000;
/** Silence tolerated before the rate starts to decay as if no bytes were moving. */
export const RATE_STALL_GRACE_MS = 1_000;

/** Exponentially weighted moving average of the transfer rate over `(timeMs, totalBytes)` samples. */
export interface RateEstimate {
  /** `null` until two samples are apart in time. */
  readonly bytesPerSecond: number | null;
  /** The latest sample; `totalBytes` is rebased down when a retried part's bytes are dropped. */
  readonly lastSample: { readonly timeMs: number; readonly totalBytes: number } | null;
}

/** Progress of one upload. Immutable: every function returns a new state. */
export interface ProgressState {
  /** `null` for a growing source. */
  readonly totalBytes: number | null;
  /** Bytes of parts the store confirmed. */
  readonly confirmedBytes: number;
  /** Bytes sent so far of each part in flight, by part number. */
  readonly inFlight: ReadonlyMap<number, number>;
  readonly rate: RateEstimate;
  /** Times the uploaded total went backwards (a part in flight was reset for a retry). */
  readonly regressions: number;
  readonly lastRegression: { readonly partNumber: number; readonly bytes: number } | null;
}

/** What a progress bar shows, from {@link progressSnapshot}. */
export interface ProgressSnapshot {
  confirmedBytes: number;
  inFlightBytes: number;
  /** `confirmedBytes + inFlightBytes`. */
  uploadedBytes: number;
  totalBytes: number | null;
  /** In `[0, 1]`; `null` when the total is unknown, 1 for an empty file. */
  fraction: number | null;
  bytesPerSecond: number | null;
  /** 0 once every byte is sent; otherwise `null` when the total or the rate is unknown, or the rate is zero. */
  etaSeconds: number | null;
  /** Times `uploadedBytes` went backwards: only ever because a part in flight was reset for a retry. */
  regressions: number;
  /** The last such reset: which part, and how many bytes were taken back. */
  lastRegression: { partNumber: number; bytes: number } | null;
}

/**
 * Start tracking an upload of `totalBytes` (`null` when unknown), of which `confirmedBytes` are already
 * stored (a resumed upload).
 *
 * @example
 * ```ts
 * let progress = createProgress(file.size, checkpointBytes);
 * progress = recordPartProgress(progress, 3, event.loaded, clock.now());
 * ```
 */
export function createProgress(totalBytes: number | null, confirmedBytes = 0): ProgressState {
  return {
    totalBytes,
    confirmedBytes,
    inFlight: new Map(),
    rate: { bytesPerSecond: null, lastSample: null },
    regressions: 0,
    lastRegression: null,
  };
}

function sumInFlight(inFlight: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const bytes of inFlight.values()) sum += bytes;
  return sum;
}

function sampleRate(rate: RateEstimate, timeMs: number, totalBytes: number): RateEstimate {
  const last = rate.lastSample;
  if (last === null) return { bytesPerSecond: null, lastSample: { timeMs, totalBytes } };
  const elapsedMs = timeMs - last.timeMs;
  // Events in the same millisecond (or a clock going backwards) accumulate into the next sample.
  if (elapsedMs <= 0) return rate;
  const instant = ((totalBytes - last.totalBytes) * 1000) / elapsedMs;
  const weight = 1 - Math.exp(-elapsedMs / RATE_TIME_CONSTANT_MS);
  const previous = rate.bytesPerSecond;
  const bytesPerSecond = previous === null ? instant : previous + weight * (instant - previous);
  return { bytesPerSecond, lastSample: { timeMs, totalBytes } };
}

function withInFlight(state: ProgressState, inFlight: Map<number, number>, nowMs: number): ProgressState {
  const rate = sampleRate(state.rate, nowMs, state.confirmedBytes + sumInFlight(inFlight));
  return { ...state, inFlight, rate };
}

/**
 * Record that `loadedBytes` of part `partNumber` are sent. Progress never goes backwards here: a smaller
 * `loadedBytes` than already recorded (a late event) is ignored. Use {@link resetPart} for a retry, and
 * send no events for a part after {@link confirmPart}.
 */
export function recordPartProgress(
  state: ProgressState,
  partNumber: number,
  loadedBytes: number,
  nowMs: number,
): ProgressState {
  const previous = state.inFlight.get(partNumber) ?? 0;
  if (!(loadedBytes > previous)) return state;
  return withInFlight(state, new Map(state.inFlight).set(partNumber, loadedBytes), nowMs);
}

/** Move part `partNumber` from in flight to confirmed with its full `size`. Call once per part. */
export function confirmPart(state: ProgressState, partNumber: number, size: number, nowMs: number): ProgressState {
  const inFlight = new Map(state.inFlight);
  inFlight.delete(partNumber);
  return withInFlight({ ...state, confirmedBytes: state.confirmedBytes + size }, inFlight, nowMs);
}

/**
 * Drop the bytes a failed part had sent, before it is retried: the only way the uploaded total goes
 * backwards. Counts a regression when bytes were dropped. The rate keeps the bytes that crossed the wire
 * (they were real throughput) and measures onward from the lowered total.
 */
export function resetPart(state: ProgressState, partNumber: number, nowMs: number): ProgressState {
  const bytes = state.inFlight.get(partNumber) ?? 0;
  if (bytes === 0) return state;
  const sampled = sampleRate(state.rate, nowMs, state.confirmedBytes + sumInFlight(state.inFlight));
  const lastSample = sampled.lastSample && { ...sampled.lastSample, totalBytes: sampled.lastSample.totalBytes - bytes };
  const inFlight = new Map(state.inFlight);
  inFlight.delete(partNumber);
  return {
    ...state,
    inFlight,
    rate: { ...sampled, lastSample },
    regressions: state.regressions + 1,
    lastRegression: { partNumber, bytes },
  };
}

/**
 * Derive what to show at `nowMs`. After {@link RATE_STALL_GRACE_MS} without a sample the rate decays as
 * if zero bytes were moving, so a stalled upload shows a falling rate and a growing ETA.
 */
export function progressSnapshot(state: ProgressState, nowMs: number): ProgressSnapshot {
  const inFlightBytes = sumInFlight(state.inFlight);
  const uploadedBytes = state.confirmedBytes + inFlightBytes;
  const { totalBytes } = state;
  const { bytesPerSecond: estimate, lastSample } = state.rate;
  const silentMs = lastSample === null ? 0 : nowMs - lastSample.timeMs - RATE_STALL_GRACE_MS;
  const bytesPerSecond =
    estimate === null || silentMs <= 0 ? estimate : estimate * Math.exp(-silentMs / RATE_TIME_CONSTANT_MS);
  const remaining = totalBytes === null ? null : Math.max(0, totalBytes - uploadedBytes);
  let etaSeconds: number | null = null;
  if (remaining === 0) etaSeconds = 0;
  else if (remaining !== null && bytesPerSecond !== null && bytesPerSecond > 0) etaSeconds = remaining / bytesPerSecond;
  return {
    confirmedBytes: state.confirmedBytes,
    inFlightBytes,
    uploadedBytes,
    totalBytes,
    fraction: totalBytes === null ? null : totalBytes === 0 ? 1 : Math.min(1, uploadedBytes / totalBytes),
    bytesPerSecond,
    etaSeconds,
    regressions: state.regressions,
    lastRegression: state.lastRegression,
  };
}
