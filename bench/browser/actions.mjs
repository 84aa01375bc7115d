// What a user asks for on a big run, and a big file of another format: on the benchmark's
// generated run of N spans, in the release build (dist/) in headless Chromium, prints
// - "Pack the run into the link" in the Share dialog: time until the link is made, longest block;
// - the CSV and analysis JSON exports: the file's size, longest block;
// - the same spans as one Jaeger file (read by the formats worker): time from choosing the file
//   to the run header, longest block, and the page's WASM memory after it.
// The longest block is the longest main-thread task (Long Tasks API) while the action ran: a page
// held for more than 100 ms feels broken.
//
//   node bench/browser/actions.mjs [SPANS]        (default 100000; the files are generated and
//                                                  cached in $TMPDIR/spoor-bench like the benchmark's)
//
// Needs dist/ built (scripts/build.sh or scripts/bench-browser.sh) and Debian's Chromium.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { serve } from '../../tests/e2e/harness.mjs';
import { openEmpty } from './blocks.mjs';
import { generate, generateJaeger } from './generate.mjs';

const total = Number(process.argv[2] || 100_000);
const { otlp } = generate(total);
const jaeger = generateJaeger(total);
const srv = await serve();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const MiB = (n) => `${(n / 1048576).toFixed(1)} MiB`;
const block = (ms) => (ms ? `longest block ${ms} ms` : 'no block over 50 ms');

/** A fresh page with the demo cleared and a Long Tasks recorder. */
async function freshPage() {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await openEmpty(page, srv.url);
  return { context, page };
}

/** Runs `fn`, then reports its time and the longest block that started meanwhile. */
async function measure(page, fn) {
  const t0 = await page.evaluate(() => performance.now());
  const out = await fn();
  await page.waitForTimeout(300);
  const { t, longest } = await page.evaluate((t0) => ({
    t: performance.now() - t0,
    longest: Math.max(0, ...window.__blocks.filter(([s]) => s >= t0).map(([, d]) => d)),
  }), t0);
  return { out, ms: Math.round(t - 300), longest: Math.round(longest) };
}

const counts = (page) => page.waitForFunction((n) => document.querySelector('[data-testid=run-counts]')?.textContent
  ?.startsWith(n), `${total.toLocaleString('en-US')} spans`, { timeout: 300_000, polling: 200 });

{
  const { context, page } = await freshPage();
  await page.getByTestId('file-input').setInputFiles(otlp);
  await counts(page);
  await page.waitForTimeout(1000);
  await page.getByTestId('share').click();
  await page.getByTestId('share-dialog').waitFor();
  const pack = await measure(page, async () => {
    await page.getByTestId('share-pack').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=share-link]').value.includes('&data='),
      null, { timeout: 300_000 });
  });
  console.log(`${total.toLocaleString('en-US')} spans, OTLP: pack into a link ${pack.ms} ms, ${block(pack.longest)}`);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: /Cost/ }).click();
  for (const what of ['CSV', 'JSON']) {
    const r = await measure(page, async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 300_000 }),
        page.getByRole('button', { name: what, exact: true }).click(),
      ]);
      return fs.statSync(await download.path()).size;
    });
    console.log(`  export ${what}: ${MiB(r.out)}, ${block(r.longest)}`);
  }
  await context.close();
}
{
  const { context, page } = await freshPage();
  const r = await measure(page, async () => {
    await page.getByTestId('file-input').setInputFiles(jaeger);
    await counts(page);
  });
  const wasm = Number(await page.evaluate(() => document.body.dataset.wasmBytes));
  console.log(`${total.toLocaleString('en-US')} spans, one Jaeger file of ${MiB(fs.statSync(jaeger).size)} (formats worker): `
    + `run header in ${r.ms} ms, ${block(r.longest)}, page WASM memory ${MiB(wasm)}`);
  await context.close();
}
await browser.close();
await srv.close();
