/**
 * Resolve in a later task of the event loop, so that the work after `await nextTask()` runs in a task of its
 * own instead of lengthening the one that is running. Uses `scheduler.yield()` where the browser has it,
 * else a `MessageChannel` message; never a timer, which browsers throttle to once a second in background
 * tabs, where long uploads spend most of their time.
 *
 * @example
 * ```ts
 * await nextTask(); // the page can handle input and paint before the next part starts
 * ```
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
