/**
 * A signal that fires when any of `signals` fires, with that signal's reason: `AbortSignal.any` where the
 * platform has it (Chromium 116, Firefox 124, Safari 17.4, Node 20.3), the same by hand elsewhere.
 *
 * @example
 * ```ts
 * await fetch(url, { signal: anySignal([userSignal, AbortSignal.timeout(30_000)]) });
 * ```
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const native = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (native) return native.call(AbortSignal, [...signals]);
  const controller = new AbortController();
  const fired = signals.find((signal) => signal.aborted);
  if (fired) {
    controller.abort(fired.reason);
    return controller.signal;
  }
  const stop = () => {
    for (const signal of signals) signal.removeEventListener('abort', onAbort);
  };
  const onAbort = (event: Event) => {
    stop();
    controller.abort((event.target as AbortSignal).reason);
  };
  for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
  return controller.signal;
}
