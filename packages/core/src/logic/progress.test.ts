import { describe, expect, it } from 'vitest';
import {
  confirmPart,
  createProgress,
  type ProgressState,
  progressSnapshot,
  recordPartProgress,
  resetPart,
  restartRate,
} from './progress.js';

const MB = 1_000_000;

type Step =
  | { at: number; kind: 'sent'; partNumber: number; bytes: number }
  | { at: number; kind: 'confirmed'; partNumber: number; bytes: number }
  | { at: number; kind: 'reset'; partNumber: number };

const sent = (partNumber: number, bytes: number, at: number): Step => ({ at, kind: 'sent', partNumber, bytes });
const confirmed = (partNumber: number, bytes: number, at: number): Step => ({
  at,
  kind: 'confirmed',
  partNumber,
  bytes,
});
const reset = (partNumber: number, at: number): Step => ({ at, kind: 'reset', partNumber });

function run(state: ProgressState, steps: Step[], onStep?: (state: ProgressState, at: number) => void): ProgressState {
  let current = state;
  for (const step of steps) {
    if (step.kind === 'sent') current = recordPartProgress(current, step.partNumber, step.bytes, step.at);
    else if (step.kind === 'confirmed') current = confirmPart(current, step.partNumber, step.bytes, step.at);
    else current = resetPart(current, step.partNumber, step.at);
    onStep?.(current, step.at);
  }
  return current;
}

/** Progress events of part 1 at `bytesPerSecond`, at irregular intervals, in 64 KiB chunks like a socket. */
function steadySteps(bytesPerSecond: number, fromMs: number, toMs: number, startBytes = 0) {
  const intervals = [17, 43, 29, 61, 50, 8, 35];
  const chunk = 65_536;
  const steps: Step[] = [];
  let loaded = startBytes;
  for (let at = fromMs, i = 0; at <= toMs; at += intervals[i++ % intervals.length] ?? 10) {
    loaded = startBytes + Math.floor(((at - fromMs) * bytesPerSecond) / 1000 / chunk) * chunk;
    steps.push(sent(1, loaded, at));
  }
  return { steps, loaded };
}

describe('progressSnapshot', () => {
  it.each([
    { total: 100, confirmed: 0, fraction: 0, etaSeconds: null },
    { total: 100, confirmed: 40, fraction: 0.4, etaSeconds: null },
    { total: 100, confirmed: 100, fraction: 1, etaSeconds: 0 },
    { total: 0, confirmed: 0, fraction: 1, etaSeconds: 0 },
    { total: null, confirmed: 0, fraction: null, etaSeconds: null },
    { total: null, confirmed: 5 * MB, fraction: null, etaSeconds: null },
  ])('starts at $confirmed of $total bytes', ({ total, confirmed, fraction, etaSeconds }) => {
    expect(progressSnapshot(createProgress(total, confirmed), 0)).toEqual({
      confirmedBytes: confirmed,
      inFlightBytes: 0,
      uploadedBytes: confirmed,
      totalBytes: total,
      fraction,
      bytesPerSecond: null,
      etaSeconds,
      resendingBytes: 0,
      resets: 0,
      lastReset: null,
    });
  });

  it.each<{ name: string; steps: Step[]; confirmed: number; inFlight: number; shown: number; resets: number }>([
    { name: 'two parts in flight', steps: [sent(1, 30, 1), sent(2, 20, 2)], confirmed: 0, inFlight: 50, shown: 50, resets: 0 },
    { name: 'a late smaller event', steps: [sent(1, 30, 1), sent(1, 10, 2)], confirmed: 0, inFlight: 30, shown: 30, resets: 0 },
    { name: 'a short confirm', steps: [sent(1, 30, 1), confirmed(1, 50, 2)], confirmed: 50, inFlight: 0, shown: 0, resets: 0 },
    {
      name: 'a reset: the part keeps showing what it had sent',
      steps: [sent(1, 30, 1), sent(2, 20, 2), reset(1, 3)],
      confirmed: 0,
      inFlight: 20,
      shown: 50,
      resets: 1,
    },
    { name: 'an idle reset', steps: [sent(1, 30, 1), reset(2, 2)], confirmed: 0, inFlight: 30, shown: 30, resets: 0 },
    {
      name: 'a reset, resent past it, confirmed',
      steps: [sent(1, 30, 1), reset(1, 2), sent(1, 50, 3), confirmed(1, 50, 4)],
      confirmed: 50,
      inFlight: 0,
      shown: 0,
      resets: 1,
    },
    {
      name: 'two resets: the most any attempt sent',
      steps: [sent(1, 30, 1), reset(1, 2), sent(1, 5, 3), reset(1, 4)],
      confirmed: 0,
      inFlight: 0,
      shown: 30,
      resets: 2,
    },
  ])('counts $name', ({ steps, confirmed, inFlight, shown, resets }) => {
    const state = run(createProgress(100), steps);
    expect(progressSnapshot(state, 10)).toMatchObject({
      confirmedBytes: confirmed,
      inFlightBytes: inFlight,
      uploadedBytes: confirmed + shown,
      resets,
    });
    expect(state.resets).toBe(resets);
  });

  it('never goes backwards under normal progress, and never mutates a state', () => {
    const steps: Step[] = [];
    for (let part = 1; part <= 6; part++) {
      const start = Math.floor((part - 1) / 3) * 1_000;
      for (let bytes = 100; bytes <= 1_000; bytes += 100) steps.push(sent(part, bytes, start + bytes / 2 + part));
      steps.push(confirmed(part, 1_000, start + 600 + part));
    }
    steps.sort((a, b) => a.at - b.at);
    const initial = createProgress(6_000);
    let previous = 0;
    const final = run(initial, steps, (state, at) => {
      const { uploadedBytes } = progressSnapshot(state, at);
      expect(uploadedBytes).toBeGreaterThanOrEqual(previous);
      previous = uploadedBytes;
    });
    expect(progressSnapshot(final, 2_000)).toMatchObject({ uploadedBytes: 6_000, fraction: 1, etaSeconds: 0 });
    expect(final.resets).toBe(0);
    expect(progressSnapshot(initial, 2_000).uploadedBytes).toBe(0);
  });

  it('does not go backwards on a reset: the dropped bytes are shown as being sent again', () => {
    const before = run(createProgress(100), [sent(1, 30, 1), sent(2, 20, 2)]);
    const after = resetPart(before, 1, 3);
    expect(progressSnapshot(after, 3)).toMatchObject({ uploadedBytes: 50, inFlightBytes: 20, resendingBytes: 30 });
    expect(after.lastReset).toEqual({ partNumber: 1, bytes: 30 });
    expect(before).toMatchObject({ resets: 0, lastReset: null });
    expect(before.inFlight.get(1)).toBe(30);
    // The new attempt covers the ground again, then goes past it; the bar moves only once it is past.
    const resending = recordPartProgress(after, 1, 10, 4);
    expect(progressSnapshot(resending, 4)).toMatchObject({ uploadedBytes: 50, resendingBytes: 20 });
    const past = recordPartProgress(resending, 1, 40, 5);
    expect(progressSnapshot(past, 5)).toMatchObject({ uploadedBytes: 60, resendingBytes: 0 });
  });

  it('never goes backwards through random sends, resets and confirms', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
    let state = createProgress(10 * 100);
    const done = new Set<number>();
    let previous = 0;
    for (let at = 1; at < 5_000; at++) {
      const part = 1 + Math.floor(random() * 10);
      if (done.has(part)) continue;
      const action = random();
      if (action < 0.7) state = recordPartProgress(state, part, Math.ceil(random() * 100), at);
      else if (action < 0.9) state = resetPart(state, part, at);
      else if ((state.inFlight.get(part) ?? 0) === 100) {
        state = confirmPart(state, part, 100, at);
        done.add(part);
      }
      const { uploadedBytes, resendingBytes } = progressSnapshot(state, at);
      expect(uploadedBytes).toBeGreaterThanOrEqual(previous);
      expect(resendingBytes).toBeGreaterThanOrEqual(0);
      previous = uploadedBytes;
    }
  });

  it('keeps what unconfirmed parts showed across a restart of the session (a retry after a failure)', () => {
    const before = run(createProgress(300), [sent(1, 100, 1), confirmed(1, 100, 2), sent(2, 60, 3), sent(3, 30, 4)]);
    const restarted = createProgress(300, 100, { state: before, confirmed: new Set([1]) });
    expect(progressSnapshot(restarted, 5)).toMatchObject({ uploadedBytes: 190, resendingBytes: 90, bytesPerSecond: null });
  });

  it('measures the rate from scratch after restartRate (a resume after a pause)', () => {
    const flowing = run(createProgress(null), steadySteps(50 * MB, 0, 5_000).steps);
    // Paused for 20 s: an average over the pause would show a fraction of the rate that flows after it.
    const paused = restartRate(resetPart(flowing, 1, 5_000));
    const resumed = run(paused, steadySteps(50 * MB, 25_000, 26_000).steps);
    expect(Math.abs((progressSnapshot(resumed, 26_000).bytesPerSecond ?? 0) / (50 * MB) - 1)).toBeLessThan(0.1);
  });

  it('converges to a constant rate within 5 % after a few seconds, despite a slow start', () => {
    const slowStart = steadySteps(2 * MB, 0, 800);
    const steady = steadySteps(4 * MB, 801, 20_000, slowStart.loaded);
    const errorAt = new Map<number, number>();
    run(createProgress(null), [...slowStart.steps, ...steady.steps], (state, at) => {
      const { bytesPerSecond } = progressSnapshot(state, at);
      errorAt.set(at, Math.abs((bytesPerSecond ?? 0) / (4 * MB) - 1));
    });
    const errorsFrom = (ms: number) => [...errorAt].filter(([at]) => at >= ms).map(([, error]) => error);
    // Still adapting a second after the rate changed, then within 5 % from 6 s on.
    expect(errorsFrom(1_800)[0]).toBeGreaterThan(0.05);
    expect(Math.max(...errorsFrom(6_000))).toBeLessThan(0.05);
  });

  it('measures throughput across a reset instead of going negative', () => {
    const first = run(createProgress(null), steadySteps(4 * MB, 0, 5_000).steps);
    const afterReset = resetPart(first, 1, 5_010);
    const resent = run(afterReset, steadySteps(4 * MB, 5_020, 8_000).steps);
    const { bytesPerSecond } = progressSnapshot(resent, 8_000);
    expect(Math.abs((bytesPerSecond ?? 0) / (4 * MB) - 1)).toBeLessThan(0.05);
  });

  it('gives the ETA of a constant rate, and a growing ETA when bytes stop flowing', () => {
    const state = run(createProgress(100 * MB), steadySteps(2 * MB, 0, 10_000).steps);
    const now = progressSnapshot(state, 10_000);
    expect(now.uploadedBytes).toBeGreaterThan(19.9 * MB);
    expect(now.etaSeconds).toBeCloseTo((100 * MB - now.uploadedBytes) / (2 * MB), 0);
    expect(Math.abs((now.etaSeconds ?? 0) / 40 - 1)).toBeLessThan(0.02);

    expect(progressSnapshot(state, 10_900).bytesPerSecond).toBe(now.bytesPerSecond);
    const stalled = progressSnapshot(state, 20_000);
    expect(stalled.bytesPerSecond).toBeLessThan((now.bytesPerSecond ?? 0) * 0.1);
    expect(stalled.etaSeconds).toBeGreaterThan(400);
  });
});
