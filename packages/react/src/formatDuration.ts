/**
 * A remaining time for people, rounded up to what matters: `'45 s'`, `'4 min 5 s'`, `'2 h 5 min'`.
 *
 * @example
 * ```ts
 * formatDuration(245.2) // '4 min 6 s'
 * formatDuration(7500) // '2 h 5 min'
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) {
    const rest = whole % 60;
    return rest === 0 ? `${Math.floor(whole / 60)} min` : `${Math.floor(whole / 60)} min ${rest} s`;
  }
  const minutes = Math.floor((whole % 3600) / 60);
  return minutes === 0 ? `${Math.floor(whole / 3600)} h` : `${Math.floor(whole / 3600)} h ${minutes} min`;
}

/**
 * An elapsed time as a clock: `'0:07'`, `'12:34'`, `'1:02:03'`.
 *
 * @example
 * ```ts
 * formatClock(65) // '1:05'
 * ```
 */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(whole % 60)}` : `${minutes}:${pad(whole % 60)}`;
}
