/** Number formatting and Markdown tables for the report. */
import type { Spread } from './stats.js';

const MiB = 1024 * 1024;

export const mib = (bytes: number, digits = 0): string => (bytes / MiB).toFixed(digits);

/** `median (min–max)`, each with `digits` decimals after `scale`. */
export function spreadText(value: Spread, digits = 0, scale = 1): string {
  if (value.runs === 0) return '–';
  const show = (n: number) => (n / scale).toFixed(digits);
  return value.runs === 1 ? show(value.median) : `${show(value.median)} (${show(value.min)}–${show(value.max)})`;
}

export function ratioText(numerator: number, denominator: number): string {
  return Number.isFinite(numerator / denominator) && denominator > 0 ? `${(numerator / denominator).toFixed(2)}×` : '–';
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((cell, index) => (index === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

export const pass = (ok: boolean): string => (ok ? 'met' : '**missed**');
