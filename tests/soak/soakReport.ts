/** The soak suite's one table: a row per scenario, with its figures and whether it met its target. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pass, table } from '../../bench/src/format.js';

/** What one scenario of the soak suite measured. */
export interface SoakRow {
  /** `R1` … `R4`, `tabs`, `GC`. */
  id: string;
  scenario: string;
  /** Uploads (or checks) the row ran. */
  runs: number;
  completed: number;
  /** Stored objects whose SHA-256 and size matched their source; `null` where nothing is stored. */
  byteIdentical: number | null;
  /** Multipart uploads of the row still open in the store at its end (ListMultipartUploads). */
  leftOpen: number | null;
  /** The row's own figures, for the table. */
  figures: string;
  /** What the row must show. */
  target: string;
  met: boolean;
  /** Why a missed row missed, or what a number means. */
  notes: string[];
  seconds: number;
  /** Everything measured, for the JSON. */
  details: unknown;
}

export interface SoakReport {
  mode: string;
  seed: number;
  startedAt: string;
  seconds: number;
  /** Machine, browser, store, load. */
  environment: string[];
  rows: SoakRow[];
}

const ratio = (count: number | null, runs: number) => (count === null ? '–' : `${count}/${runs}`);

/** The table and the notes under it, as Markdown lines. */
export function soakTable(report: SoakReport): string[] {
  const lines = table(
    ['row', 'scenario', 'completed', 'byte-identical', 'figures', 'left open', 'target', 'result', 'time'],
    report.rows.map((row) => [
      row.id,
      row.scenario,
      ratio(row.completed, row.runs),
      ratio(row.byteIdentical, row.runs),
      row.figures,
      row.leftOpen === null ? '–' : String(row.leftOpen),
      row.target,
      pass(row.met),
      `${(row.seconds / 60).toFixed(1)} min`,
    ]),
  );
  const notes = report.rows.flatMap((row) => row.notes.map((note) => `- ${row.id} (${row.scenario}): ${note}`));
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])];
}

/** The whole report as Markdown. */
export function soakMarkdown(report: SoakReport): string {
  const met = report.rows.filter((row) => row.met).length;
  return [
    `# Tessera soak (${report.mode}) — ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Seed ${report.seed} (repeat with \`SOAK_SEED=${report.seed}\`); ${met}/${report.rows.length} rows met their targets; ` +
      `${(report.seconds / 60).toFixed(1)} min in all.`,
    '',
    ...report.environment.map((line) => `- ${line}`),
    '',
    ...soakTable(report),
    '',
  ].join('\n');
}

/** Write `<name>.md` and `<name>.json` under `dir`; returns the Markdown path. */
export function writeSoakReport(report: SoakReport, dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const markdown = join(dir, `${name}.md`);
  writeFileSync(markdown, soakMarkdown(report));
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(report, null, 1)}\n`);
  return markdown;
}
