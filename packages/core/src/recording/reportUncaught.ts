/**
 * Report an error no caller can handle (a throwing listener, a write failing inside an event handler) the
 * way the platform reports uncaught ones, without breaking the code that ran into it: `reportError` in
 * browsers, an uncaught exception elsewhere.
 *
 * @example
 * ```ts
 * try { listener(); } catch (error) { reportUncaught(error); }
 * ```
 */
export function reportUncaught(error: unknown): void {
  if (typeof globalThis.reportError === 'function') {
    globalThis.reportError(error);
    return;
  }
  queueMicrotask(() => {
    throw error;
  });
}
