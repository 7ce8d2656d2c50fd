/**
 * Screenshots of the built Storybook (run `npm run build-storybook` first), one PNG per story, taken once
 * the story's play function has finished: `npx tsx .storybook/screenshots.ts [filter]` writes them to
 * test-results/storybook/ (`SCHEME=dark` for the dark scheme, as `<id>.dark.png`). Serves storybook-static/
 * itself and drives Debian's Chromium (no download).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(process.cwd(), 'storybook-static');
const outDir = join(process.cwd(), 'test-results', 'storybook');
const filter = process.argv[2] ?? '';
const scheme = process.env.SCHEME === 'dark' ? 'dark' : 'light';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

interface IndexEntry {
  id: string;
  type: string;
  title: string;
  name: string;
}

const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = readFileSync(join(root, path.endsWith('/') ? `${path}index.html` : path));
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    response.end(body);
  } catch (error) {
    if (!path.includes('favicon')) console.error(`not served: ${path} (${String(error)})`);
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story' && entry.id.includes(filter));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
mkdirSync(outDir, { recursive: true });
const failures: string[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 820, height: 480 }, deviceScaleFactor: 1, colorScheme: scheme });
  for (const story of stories) {
    const url = `${base}/iframe.html?id=${story.id}&viewMode=story`;
    // A navigation can be refused while the previous story still tears down: try once more.
    await page.goto(url).catch(() => page.waitForTimeout(500).then(() => page.goto(url)));
    // The preview's current render is `finished` once loaders, render, play and the axe check are done.
    const phase = await page
      .waitForFunction(
        () => {
          const preview = (window as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } })
            .__STORYBOOK_PREVIEW__;
          const current = preview?.currentRender?.phase;
          return current === 'finished' || current === 'completed' || current === 'errored' ? current : false;
        },
        undefined,
        { timeout: 30_000 },
      )
      .then((handle) => handle.jsonValue())
      .catch(() => 'timed out');
    const done = phase === 'finished' || phase === 'completed';
    if (!done) failures.push(`${story.id}: ${String(phase)}`);
    // Let the last progress tick and transitions settle.
    await page.waitForTimeout(300);
    const file = join(outDir, `${story.id}${scheme === 'dark' ? '.dark' : ''}.png`);
    writeFileSync(file, await page.screenshot({ fullPage: true }));
    console.log(`${done ? 'ok  ' : 'FAIL'} ${story.title} / ${story.name} → ${file}`);
  }
} finally {
  await browser.close();
  server.close();
}
if (failures.length > 0) {
  console.error(`\nStories that did not complete:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
