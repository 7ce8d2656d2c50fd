import type { NetworkStatus } from '../ports.js';

/**
 * A {@link NetworkStatus} from the browser: `navigator.onLine` and the window's `online`/`offline` events.
 * `navigator.onLine` being `true` only means a network interface is up, so the engine still treats
 * failed requests as the real signal; `false` is reliable and pauses uploads. Without a `window` (Node,
 * server rendering, workers) it is always online and never calls back. Reads globals on each call, never on
 * import.
 *
 * @example
 * ```ts
 * const network = createBrowserNetworkStatus();
 * const unsubscribe = network.subscribe((online) => (online ? resumeAll() : pauseAll()));
 * ```
 */
export function createBrowserNetworkStatus(): NetworkStatus {
  return {
    isOnline() {
      if (typeof window === 'undefined' || typeof navigator === 'undefined') return true;
      return navigator.onLine !== false;
    },
    subscribe(listener) {
      if (typeof window === 'undefined') return () => {};
      const target = window;
      const online = () => listener(true);
      const offline = () => listener(false);
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        target.removeEventListener('online', online);
        target.removeEventListener('offline', offline);
      };
    },
  };
}
