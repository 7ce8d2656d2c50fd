const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * A byte count for people, in decimal units (1 kB = 1000 B, as file managers and browsers show sizes):
 * three significant digits at most, no decimals for bytes.
 *
 * @example
 * ```ts
 * formatBytes(1_500_000) // '1.5 MB'
 * formatBytes(123_456_789) // '123 MB'
 * formatBytes(999) // '999 B'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  // Round first so 999,999 B shows as '1 MB', not '1000 kB'.
  while (unit < UNITS.length - 1 && Number(value.toPrecision(3)) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  const text = unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${text} ${UNITS[unit]}`;
}
