/** Time constant of the transfer-rate average: a sample this old weighs 1/e as much as a new one. */
export const RATE_TIME_CONSTANT_MS = 2_000;
/** Silence tolerated before the rate starts to decay as if no bytes were moving. */
export const RATE_STALL_GRACE_MS = 1_000;

/** Exponentially weighted moving average of the transfer rate over `(timeMs, totalBytes)` samples. */
export interface RateEstimate {
  /** `null` until two samples are apart in time. */
  readonly bytesPerSecond: number | null;
  /** The latest sample of bytes on the wire; rebased down when a retried part's attempt is dropped. */
  readonly lastSample: { readonly timeMs: number; readonly totalBytes: number } | null;
}

/** Progress of one upload. Immutable: every function returns a new state. */
export interface ProgressState {
  /** `null` for a growing source. */
  readonly totalBytes: number | null;
  /** Bytes of parts the store confirmed. */
  readonly confirmedBytes: number;
  /** Bytes the current attempt of each part in flight has sent, by part number. */
  readonly inFlight: ReadonlyMap<number, number>;
  /**
   * Bytes earlier attempts of a part not yet confirmed had sent (the most any reached), by part number: what
   * was shown for the part before it was stopped for a retry, a pause or going offline. The part keeps showing
   * that much until its new attempt has sent more, so the shown total never goes backwards.
   */
  readonly credited: ReadonlyMap<number, number>;
  readonly rate: RateEstimate;
  /** Times an attempt of a part was dropped to be made again (a retry, a pause, going offline). */
  readonly resets: number;
  readonly lastReset: { readonly partNumber: number; readonly bytes: number } | null;
}

/** What a progress bar shows, from {@link progressSnapshot}. */
export interface ProgressSnapshot {
  confirmedBytes: number;
  /** Bytes the parts in flight have sent in their current attempts. */
  inFlightBytes: number;
  /**
   * What to show as uploaded: confirmed bytes, plus for each part not yet confirmed the most any of its
   * attempts sent. Never goes backwards while the page lives (pauses, retries and offline spells included).
   */
  uploadedBytes: number;
  /** Bytes counted in `uploadedBytes` that are being (or are to be) sent again because an attempt was dropped. */
  resendingBytes: number;
  totalBytes: number | null;
  /** `uploadedBytes / totalBytes` in `[0, 1]`; `null` when the total is unknown, 1 for an empty file. */
  fraction: number | null;
  /** Bytes per second moving on the wire (bytes sent again included), since the last restart of the rate. */
  bytesPerSecond: number | null;
  /** Time to send what is left, bytes to be sent again included; 0 once every byte is sent. */
  etaSeconds: number | null;
  /** Times an attempt of a part was dropped to be made again. */
  resets: number;
  /** The last such drop: which part, and how many bytes its attempt had sent. */
  lastReset: { partNumber: number; bytes: number } | null;
}

const NO_RATE: RateEstimate = { bytesPerSecond: null, lastSample: null };

/**
 * Start tracking an upload of `totalBytes` (`null` when unknown), of which `confirmedBytes` are already
 * stored (a resumed upload). Pass the `previous` state of this page's earlier attempt at the same upload (a
 * retry after a failure) to keep what its unconfirmed parts had shown, so the bar does not drop back.
 *
 * @example
 * ```ts
 * let progress = createProgress(file.size, checkpointBytes);
 * progress = recordPartProgress(progress, 3, event.loaded, clock.now());
 * ```
 */
export function createProgress(
  totalBytes: number | null,
  confirmedBytes = 0,
  previous?: { state: ProgressState; confirmed: ReadonlySet<number> },
): ProgressState {
  const credited = new Map<number, number>();
  if (previous) {
    for (const [partNumber, bytes] of shownParts(previous.state)) {
      if (!previous.confirmed.has(partNumber) && bytes > 0) credited.set(partNumber, bytes);
    }
  }
  return {
    totalBytes,
    confirmedBytes,
    inFlight: new Map(),
    credited,
    rate: NO_RATE,
    resets: 0,
    lastReset: null,
  };
}

function sumInFlight(inFlight: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const bytes of inFlight.values()) sum += bytes;
  return sum;
}

/** What each part not yet confirmed shows: the most any of its attempts sent. */
function shownParts(state: ProgressState): Map<number, number> {
  const shown = new Map(state.credited);
  for (const [partNumber, bytes] of state.inFlight) shown.set(partNumber, Math.max(bytes, shown.get(partNumber) ?? 0));
  return shown;
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
 * Record that `loadedBytes` of part `partNumber` are sent. A smaller `loadedBytes` than already recorded
 * for this attempt (a late event) is ignored. Use {@link resetPart} when an attempt is dropped, and send no
 * events for a part after {@link confirmPart}.
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
  let credited = state.credited;
  if (credited.has(partNumber)) {
    const remaining = new Map(credited);
    remaining.delete(partNumber);
    credited = remaining;
  }
  return withInFlight({ ...state, confirmedBytes: state.confirmedBytes + size, credited }, inFlight, nowMs);
}

/**
 * Drop the current attempt of part `partNumber` (a retry, a pause, going offline). What the part showed
 * stays shown (it is credited) until a new attempt sends more, so the shown total does not go backwards; the
 * rate keeps the bytes that crossed the wire (they were real throughput) and measures onward from the lowered
 * wire total. Counts a reset when the attempt had sent something.
 */
export function resetPart(state: ProgressState, partNumber: number, nowMs: number): ProgressState {
  const bytes = state.inFlight.get(partNumber) ?? 0;
  if (bytes === 0) return state;
  const sampled = sampleRate(state.rate, nowMs, state.confirmedBytes + sumInFlight(state.inFlight));
  const lastSample = sampled.lastSample && { ...sampled.lastSample, totalBytes: sampled.lastSample.totalBytes - bytes };
  const inFlight = new Map(state.inFlight);
  inFlight.delete(partNumber);
  const credited = new Map(state.credited).set(partNumber, Math.max(bytes, state.credited.get(partNumber) ?? 0));
  return {
    ...state,
    inFlight,
    credited,
    rate: { ...sampled, lastSample },
    resets: state.resets + 1,
    lastReset: { partNumber, bytes },
  };
}

/**
 * Forget the rate: bytes moved from now on make the next estimate. For a resume after a pause, offline
 * spell or failure, so rate and ETA come from what moves since, not from an average over the pause.
 */
export function restartRate(state: ProgressState): ProgressState {
  return state.rate === NO_RATE ? state : { ...state, rate: NO_RATE };
}

/**
 * Derive what to show at `nowMs`. After {@link RATE_STALL_GRACE_MS} without a sample the rate decays as
 * if zero bytes were moving, so a stalled upload shows a falling rate and a growing ETA.
 */
export function progressSnapshot(state: ProgressState, nowMs: number): ProgressSnapshot {
  const inFlightBytes = sumInFlight(state.inFlight);
  let shownBytes = 0;
  let resendingBytes = 0;
  for (const [partNumber, bytes] of shownParts(state)) {
    shownBytes += bytes;
    resendingBytes += Math.max(0, (state.credited.get(partNumber) ?? 0) - (state.inFlight.get(partNumber) ?? 0));
  }
  const uploadedBytes = state.confirmedBytes + shownBytes;
  const { totalBytes } = state;
  const { bytesPerSecond: estimate, lastSample } = state.rate;
  const silentMs = lastSample === null ? 0 : nowMs - lastSample.timeMs - RATE_STALL_GRACE_MS;
  const bytesPerSecond =
    estimate === null || silentMs <= 0 ? estimate : estimate * Math.exp(-silentMs / RATE_TIME_CONSTANT_MS);
  const remaining = totalBytes === null ? null : Math.max(0, totalBytes - uploadedBytes) + resendingBytes;
  let etaSeconds: number | null = null;
  if (remaining === 0) etaSeconds = 0;
  else if (remaining !== null && bytesPerSecond !== null && bytesPerSecond > 0) etaSeconds = remaining / bytesPerSecond;
  return {
    confirmedBytes: state.confirmedBytes,
    inFlightBytes,
    uploadedBytes,
    resendingBytes,
    totalBytes,
    fraction: totalBytes === null ? null : totalBytes === 0 ? 1 : Math.min(1, uploadedBytes / totalBytes),
    bytesPerSecond,
    etaSeconds,
    resets: state.resets,
    lastReset: state.lastReset,
  };
}
