// Finds where a click freezes the page: loads trace files into the release build (dist/) in
// headless Chromium, then makes the clicks a user makes (each panel tab, a span, the critical
// path, Share, the Runs and Versions pages, Compare of the first two runs, the theme) and prints,
// per click, the longest main-thread block (Long Tasks API) it caused. A page held for more
// than 100 ms feels broken; the browser benchmark's click row covers four of these clicks on its
// generated runs, this takes any files.
//
//   node bench/browser/clicks.mjs FILE [FILE…]     e.g. /tmp/spoor-bench/agent-100000.v1.otlp.json
//
// Needs dist/ built (scripts/build.sh or scripts/bench-browser.sh) and Debian's Chromium.
import { chromium } from 'playwright-core';
import { serve } from '../../tests/e2e/harness.mjs';
import { openEmpty } from './blocks.mjs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node bench/browser/clicks.mjs FILE [FILE…]');
  process.exit(2);
}
const srv = await serve();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
page.on('console', (m) => { if (m.text().startsWith('spoor: parsed')) console.log(m.text()); });
await openEmpty(page, srv.url);

/** Runs `fn`, waits for the page to settle, prints the blocks that started meanwhile. */
async function click(name, fn) {
  const t0 = await page.evaluate(() => performance.now());
  try {
    await fn();
  } catch (e) {
    console.log(`${name.padEnd(28)} could not be done: ${String(e.message).split('\n')[0]}`);
    return;
  }
  await page.waitForTimeout(1000);
  const blocks = await page.evaluate((t0) => window.__blocks.filter(([s]) => s >= t0).map(([, d]) => Math.round(d)), t0);
  const worst = Math.max(0, ...blocks);
  console.log(`${name.padEnd(28)} ${worst ? `longest block ${worst} ms` : 'no block over 50 ms'}${blocks.length > 1 ? ` (${blocks.length} blocks: ${blocks.join(', ')} ms)` : ''}`);
}

const runsButton = () => page.getByRole('button', { name: /^Runs/ });
await click('load', async () => {
  await page.getByTestId('file-input').setInputFiles(files);
  await page.getByTestId('run-header').or(page.getByTestId('run-list')).waitFor({ timeout: 300_000 });
  // Wait for the analysis too: the run header or the list shows counts once it is done.
  await page.waitForFunction(() => !document.querySelector('[data-testid=loading]'), null, { timeout: 300_000, polling: 200 });
});
await click('Runs page', async () => { await runsButton().click(); await page.getByTestId('run-list').waitFor(); });
await click('open the first run', async () => {
  await page.locator('[data-testid=run-list] tbody tr .run-link').first().click();
  await page.getByTestId('run-header').waitFor();
});
for (const tab of await page.locator('[role=tab]').all()) {
  const label = (await tab.getAttribute('data-panel')) ?? (await tab.textContent());
  await click(`${label} tab`, () => tab.click());
}
await page.getByRole('tab', { name: 'Span' }).click();
await click('select a span', async () => { await page.locator('.wf-row').nth(3).click(); await page.getByTestId('span-details').waitFor(); });
await click('critical path on', () => page.getByTestId('critical-toggle').check());
await click('critical path off', () => page.getByTestId('critical-toggle').uncheck());
await click('Share dialog', async () => { await page.getByTestId('share').click(); await page.getByTestId('share-dialog').waitFor(); });
await page.keyboard.press('Escape');
await click('Versions page', async () => { await page.getByRole('button', { name: 'Versions' }).click(); await page.getByTestId('versions').waitFor(); });
await click('Runs page again', async () => { await runsButton().click(); await page.getByTestId('run-list').waitFor(); });
if (await page.locator('[data-testid=run-list] tbody input[type=checkbox]').count() >= 2) {
  await click('Compare the first two', async () => {
    const boxes = page.locator('[data-testid=run-list] tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('compare-picked').click();
    await page.getByTestId('compare').waitFor({ timeout: 60_000 });
  });
}
await click('theme', () => page.getByTestId('theme-toggle').click());
await browser.close();
await srv.close();
