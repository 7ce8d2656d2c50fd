import { formatDuration } from './formatDuration.js';
import { secondsUntil } from './retryCountdown.js';

/**
 * 'in 4 s' (then 'now') until `retryAt`, seen at `now`. Under a minute the seconds have their own element
 * (`data-tessera="retry-seconds"`), which the theme gives a fixed width, so the text around a countdown does
 * not shift as 10 s becomes 9 s.
 */
export function RetryIn({ retryAt, now }: { retryAt: number; now: number }) {
  const seconds = secondsUntil(retryAt, now);
  return (
    <span data-tessera="retry-in">
      {seconds === 0 ? (
        'now'
      ) : seconds < 60 ? (
        <>
          in <span data-tessera="retry-seconds">{seconds}</span> s
        </>
      ) : (
        `in ${formatDuration(seconds)}`
      )}
    </span>
  );
}
