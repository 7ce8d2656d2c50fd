/**
 * Main-thread long tasks (≥ 50 ms, Chromium's `longtask` entries), observed from page load; a window of
 * them is summarised per upload.
 */
import type { LongTaskSummary } from './pageTypes.js';

const entries: Array<{ startTime: number; duration: number }> = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) entries.push({ startTime: entry.startTime, duration: entry.duration });
});
observer.observe({ type: 'longtask', buffered: true });

/** The long tasks that started in `[from, to]` (`performance.now()` times). */
export async function longTasksBetween(from: number, to: number): Promise<LongTaskSummary> {
  // Entries are delivered after the task ends; give the last one a frame to arrive, then flush.
  await new Promise((done) => setTimeout(done, 50));
  for (const entry of observer.takeRecords()) entries.push({ startTime: entry.startTime, duration: entry.duration });
  const inWindow = entries.filter((entry) => entry.startTime >= from && entry.startTime <= to);
  return {
    count: inWindow.length,
    maxMs: Math.max(0, ...inWindow.map((entry) => entry.duration)),
    totalMs: inWindow.reduce((sum, entry) => sum + entry.duration, 0),
  };
}
