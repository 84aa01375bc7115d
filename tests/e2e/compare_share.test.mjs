// Comparing runs and sharing views: two runs of the seed-001 version fixture side by side with
// the divergence in words; a copied link reopens the same run, span, zoom and panel in a fresh
// browser that never saw the file; redaction keeps prompts out of the link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openPage, fixture } from './harness.mjs';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const asFile = (p) => ({ name: path.basename(p), mimeType: 'application/json', buffer: fs.readFileSync(p) });

async function openWith(files) {
  const ctx = await openPage(browser, srv.url);
  await ctx.page.getByTestId('run-header').waitFor();
  await ctx.page.getByRole('button', { name: 'Clear' }).click();
  await ctx.page.getByTestId('empty').waitFor();
  await ctx.page.locator('body').drop({ files });
  return ctx;
}

test('two runs of the version fixture: divergence in words and per-step deltas', async () => {
  const { page, errors, context } = await openWith([asFile(fixture('seed-formats', 'seed001-agenttracer', 'runs_version_comparison.json'))]);
  // The file holds 10 runs (python3: len(json.load(f)) == 10). The list is on the page before
  // they are read (the empty page's table), so wait for its rows.
  await page.locator('[data-testid=run-list] tbody tr').nth(9).waitFor();
  const starts = await page.locator('[data-testid=run-list] tbody tr td:nth-child(5)').allTextContents();
  // v1.0.0 at 10:11 retried billing_api after a timeout; v1.1.0 at 15:00 fell back to billing_cache.
  const a = starts.findIndex((s) => s.includes('10:11:01'));
  const b = starts.findIndex((s) => s.includes('15:00:00'));
  const boxes = page.locator('[data-testid=run-list] tbody input[type=checkbox]');
  await boxes.nth(a).check();
  await boxes.nth(b).check();
  await page.getByTestId('compare-picked').click();
  await page.getByTestId('compare').waitFor();
  assert.equal(await page.getByTestId('divergence').textContent(),
    'step 4: run A called billing_api, run B called billing_cache');
  // Rows are numbered as the agent numbered its steps (the run itself is step 0).
  assert.equal(await page.locator('[data-testid=aligned-steps] tbody tr').nth(4).locator('td').first().textContent(), '4');
  // billing_api's first attempt: 5,013 ms in A, 3,006 ms in B.
  const row = page.locator('[data-testid=aligned-steps] tbody tr', { hasText: 'billing_api' }).first();
  assert.match(await row.textContent(), /-2\.01 s/);
  // Durations: A 8.31 s … B 4.84 s as the run list says.
  assert.match(await page.getByTestId('delta-duration').textContent(), /^-3\.4\d s$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a copied link reopens the same run, span, zoom and panel in a fresh browser', async () => {
  const file = fixture('langfuse', 'openai-agents-2025-09-30.trace.json');
  const prompt = "What's the weather in Tokyo?";
  const { page, context } = await openWith([asFile(file)]);
  await page.getByTestId('run-header').waitFor();
  // Select the first LLM span, zoom by dragging on the axis, open the Cost panel.
  await page.locator('.wf-row', { has: page.locator('.kind-badge', { hasText: 'llm' }) }).first().click();
  const selected = await page.locator('.wf-row.selected').getAttribute('data-span');
  const axis = await page.getByTestId('axis').boundingBox();
  await page.mouse.move(axis.x + axis.width * 0.2, axis.y + 10);
  await page.mouse.down();
  await page.mouse.move(axis.x + axis.width * 0.7, axis.y + 10, { steps: 5 });
  await page.mouse.up();
  const hash = () => page.evaluate(() => location.hash);
  const zoom = (await hash()).match(/z=([\d,]+)/)?.[1];
  assert.ok(zoom, `zoom is in the URL: ${await hash()}`);
  await page.getByRole('tab', { name: 'Cost & tokens' }).click();
  const header = await page.getByTestId('run-counts').textContent();

  await page.getByTestId('share').click();
  // The run is packed into the link by the browser's CompressionStream, so the link comes a
  // moment after the dialog opens, and again after the choice of text changes.
  const link = async (unlike) => {
    await page.waitForFunction((old) => {
      const v = document.querySelector('[data-testid=share-link]').value;
      return v.includes('data=') && v !== old;
    }, unlike);
    return page.getByTestId('share-link').inputValue();
  };
  const redacted = await link('');
  assert.match(await page.getByTestId('share-size').textContent(), /KB: fits in a chat message/);
  await page.getByTestId('include-text').check();
  const full = await link(redacted);
  assert.notEqual(full, redacted);
  await context.close();

  for (const [link, withText] of [[redacted, false], [full, true]]) {
    const fresh = await openPage(browser, link);
    const p = fresh.page;
    await p.getByTestId('run-header').waitFor();
    assert.equal(await p.getByTestId('run-counts').textContent(), header);
    assert.equal(await p.locator('.wf-row.selected').getAttribute('data-span'), selected);
    assert.equal((await p.evaluate(() => location.hash)).match(/z=([\d,]+)/)?.[1], zoom);
    assert.equal(await p.getByTestId('zoom-reset').isDisabled(), false);
    assert.equal(await p.locator('.tab.active').textContent(), 'Cost & tokens');
    await p.getByRole('tab', { name: 'Span' }).click();
    await p.getByTestId('span-attrs').waitFor();
    const html = await p.content();
    if (withText) {
      assert.ok(html.includes(prompt.replace("'", '&#39;')) || html.includes(prompt), 'the unredacted link carries the prompt');
    } else {
      assert.ok(!html.includes('Tokyo'), 'the redacted link carries no prompt text');
    }
    assert.deepEqual(fresh.foreign(), []);
    assert.deepEqual(fresh.errors, []);
    await fresh.context.close();
  }
});

test('a browser without CompressionStream says why it cannot pack the link, and a hosted-file link still works', async () => {
  // Share links are compressed by the browser's own CompressionStream (the page carries no
  // compressor of its own); older browsers lack it.
  // Counted, so the test also sees that the dialog does not try again and again.
  const init = () => {
    window.compressionTries = 0;
    Object.defineProperty(window, 'CompressionStream', { get() { window.compressionTries += 1; return undefined; } });
  };
  const { page, errors, context } = await openPage(browser, srv.url, { init });
  await page.getByTestId('run-header').waitFor();
  await page.getByTestId('share').click();
  const size = page.getByTestId('share-size');
  await page.waitForFunction(() => /cannot compress/.test(document.querySelector('[data-testid=share-size]').textContent));
  assert.match(await size.textContent(), /^This browser cannot compress the link \(.*CompressionStream.*\): link to the hosted file\.$/);
  assert.equal(await page.getByTestId('share-link').inputValue(), '');
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => window.compressionTries), 1, 'one try, not a loop');
  await page.getByPlaceholder('https://…/trace.json').fill('https://example.com/trace.json');
  assert.match(await page.getByTestId('share-link').inputValue(), /#.*src=https:%2F%2Fexample\.com%2Ftrace\.json$/);
  assert.match(await size.textContent(), /KB: fits in a chat message\.$/);
  assert.deepEqual(errors, []);
  await context.close();
});
