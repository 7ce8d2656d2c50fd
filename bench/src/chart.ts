/**
 * An SVG chart of a bench run (bench/results/latest.json): per contender, throughput (MB/s), peak main-thread
 * JS heap and peak PSS of the browser's process tree, each as a median bar with a min–max whisker.
 * `npm run bench:chart [-- results.json [out.svg]]`; no dependencies, no external services.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Section } from './benchPlan.js';
import type { SettingResults } from './rounds.js';
import { type Spread, spread } from './stats.js';

interface Panel {
  title: string;
  unit: string;
  digits: number;
  values: Array<{ label: string; value: Spread }>;
}

const MiB = 1024 * 1024;
const WIDTH = 820;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 150;
const ROW = 24;
const COLORS: Record<string, string> = {
  tessera: '#2f6fdf',
  'tessera-no-sha256': '#7fa6ec',
  'tessera-no-checksums': '#b3c9f2',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The base-size uploads of a run: P1's, else P2's first file. */
export function uploadsOf(sections: Section[]): SettingResults[] {
  const p1 = sections.find((section) => section.id === 'p1')?.data as SettingResults[] | undefined;
  if (p1?.length) return p1;
  const p2 = sections.find((section) => section.id === 'p2')?.data as Array<{ results: SettingResults[] }> | undefined;
  return p2?.[0]?.results ?? [];
}

function panels(uploads: SettingResults[]): Panel[] {
  const done = uploads.filter((result) => result.measurements.length > 0);
  const of = (pick: (m: SettingResults['measurements'][number]) => number) =>
    done.map((result) => ({ label: result.settings.contender, value: spread(result.measurements.map(pick)) }));
  return [
    { title: 'Throughput (higher is better)', unit: 'MB/s', digits: 1, values: of((m) => m.mbPerSecond) },
    { title: 'Peak JS heap, page main thread (lower is better)', unit: 'MiB', digits: 1, values: of((m) => m.memory.peakHeapBytes / MiB) },
    { title: 'Peak PSS, whole Chromium process tree (lower is better)', unit: 'MiB', digits: 0, values: of((m) => m.memory.peakPssBytes / MiB) },
  ];
}

function panelSvg(panel: Panel, top: number): { svg: string; height: number } {
  const scaleMax = Math.max(...panel.values.map((entry) => entry.value.max), 1e-9);
  const barWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const x = (value: number) => LABEL_WIDTH + (value / scaleMax) * barWidth;
  const parts = [`<text x="10" y="${top + 16}" font-weight="bold">${escape(panel.title)}</text>`];
  panel.values.forEach(({ label, value }, index) => {
    const y = top + 28 + index * ROW;
    const color = COLORS[label] ?? '#9aa5b1';
    const text = value.runs > 1
      ? `${value.median.toFixed(panel.digits)} ${panel.unit} (${value.min.toFixed(panel.digits)}–${value.max.toFixed(panel.digits)})`
      : `${value.median.toFixed(panel.digits)} ${panel.unit}`;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 14}" text-anchor="end">${escape(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${Math.max(1, x(value.median) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 8}" fill="${color}"/>`,
      `<line x1="${x(value.min).toFixed(1)}" x2="${x(value.max).toFixed(1)}" y1="${y + ROW / 2 - 1}" y2="${y + ROW / 2 - 1}" stroke="#222" stroke-width="1.5"/>`,
      `<text x="${LABEL_WIDTH + barWidth + 10}" y="${y + 14}">${escape(text)}</text>`,
    );
  });
  return { svg: parts.join('\n'), height: 36 + panel.values.length * ROW };
}

/** The chart as an SVG document. */
export function chartSvg(uploads: SettingResults[], caption: string): string {
  let top = 34;
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">${escape(caption)}</text>`];
  for (const panel of panels(uploads)) {
    const drawn = panelSvg(panel, top);
    body.push(drawn.svg);
    top += drawn.height + 10;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A one-line description of the uploads charted (file size, parts, concurrency, runs). */
export function caption(uploads: SettingResults[]): string {
  const first = uploads.find((result) => result.measurements.length)?.measurements[0];
  if (!first) return 'no successful uploads';
  const runs = Math.max(...uploads.map((result) => result.measurements.length));
  return `${first.size / MiB} MiB file, ${first.partSize / MiB} MiB parts, concurrency ${first.concurrency}, median of ${runs} run(s), min–max whiskers`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  const input = process.argv[2] ?? `${resultsDir}latest.json`;
  const output = process.argv[3] ?? `${resultsDir}chart.svg`;
  const { sections } = JSON.parse(readFileSync(input, 'utf8')) as { sections: Section[] };
  const uploads = uploadsOf(sections);
  writeFileSync(output, chartSvg(uploads, caption(uploads)));
  process.stderr.write(`bench: wrote ${output}\n`);
}
