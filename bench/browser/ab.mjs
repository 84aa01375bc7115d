// A/B of two release builds on one generated file: loads it in each build in turn (A B, then
// B A, …) in one headless Chromium, and prints the medians of the app's own figures (streamed,
// assembled, analysed and rendered) and each build's gzip size. On a shared 2-core VM one run's
// figures vary by ±15 %; alternating builds in one session is how a 5 % change can be seen at all.
//
// Usage: node bench/browser/ab.mjs DIST_A DIST_B [spans=100000] [rounds=5]
// Build a variant with e.g. `trunk build --release --offline --public-url /spoor/ --dist /tmp/b`
// (with node_modules/.bin on PATH, for wasm-opt). The file comes from the browser benchmark's
// cache (`node bench/browser/run.mjs --sizes N` writes it first).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve } from '../../tests/e2e/harness.mjs';
import { median } from './table.mjs';

const [A, B, size = '100000', rounds = '5'] = process.argv.slice(2);
if (!A || !B) {
  console.error('usage: node bench/browser/ab.mjs DIST_A DIST_B [spans] [rounds]');
  process.exit(2);
}
const file = path.join(process.env.BENCH_TMP || path.join(os.tmpdir(), 'spoor-bench'), `agent-${size}.v1.otlp.json`);
const buffer = fs.readFileSync(file);
const spansText = `${Number(size).toLocaleString('en-US')} spans`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const figures = { [A]: [], [B]: [] };
for (let i = 0; i < Number(rounds); i++) {
  for (const dir of i % 2 ? [B, A] : [A, B]) {
    const srv = await serve(dir);
    const page = await browser.newPage();
    let line = null;
    page.on('console', (m) => { if (m.text().startsWith('spoor: parsed')) line = m.text(); });
    await page.goto(srv.url);
    await page.getByTestId('run-header').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.getByTestId('empty').waitFor();
    line = null;
    await page.locator('body').drop({ files: [{ name: 'x.otlp.json', mimeType: 'application/json', buffer }] }, { timeout: 60_000 });
    await page.waitForFunction((t) => document.querySelector('[data-testid=run-counts]')?.textContent?.startsWith(t), spansText, { timeout: 120_000, polling: 50 });
    const m = /parsed in (\d+) ms, analysed and rendered in (\d+) ms.*streaming (\d+) ms, then assembled in (\d+)/.exec(line || '');
    if (m) figures[dir].push({ stream: +m[3], assemble: +m[4], analyse: +m[2], total: +m[1] + +m[2] });
    else console.error(`${dir}: no load figures in the app's log (${line})`);
    await page.close();
    await srv.close();
  }
}
await browser.close();
for (const dir of [A, B]) {
  const r = figures[dir];
  const med = (k) => median(r.map((x) => x[k]));
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, 'spoor-web_bg.wasm')), { level: 9 }).length;
  console.log(`${dir}: streamed ${med('stream')} ms, assembled ${med('assemble')} ms, analysed and rendered ${med('analyse')} ms; total ${med('total')} ms [${r.map((x) => x.total).join(', ')}]; wasm ${(gz / 1024).toFixed(1)} KiB gzip`);
}
