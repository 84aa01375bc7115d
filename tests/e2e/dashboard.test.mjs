// The dashboard as a user drives it: drop a file and read its header, click a span and read its
// tokens, follow a loop anomaly to its spans, search and step through matches, move with the
// keyboard, scroll 100k spans with a bounded DOM, stay safe with hostile text, and both themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openPage, fixture, outFile, ROOT } from './harness.mjs';
import { generate, expectedCounts } from '../../bench/browser/generate.mjs';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const asFile = (p, name = path.basename(p)) => ({ name, mimeType: 'application/json', buffer: fs.readFileSync(p) });

/** The app's own log lines ("spoor: parsed in …"), collected from the page's console. */
function loadLog(page) {
  const lines = [];
  page.on('console', (m) => { if (m.text().startsWith('spoor: parsed in')) lines.push(m.text()); });
  return lines;
}

/** Opens the page, clears the demo, and drops the given files; `log` collects the app's load
 * lines from the drop on. */
async function openWith(files, opts = undefined) {
  const ctx = await openPage(browser, srv.url, opts);
  await ctx.page.getByTestId('run-header').waitFor();
  await ctx.page.getByRole('button', { name: 'Clear' }).click();
  await ctx.page.getByTestId('empty').waitFor();
  const log = loadLog(ctx.page);
  await ctx.page.locator('body').drop({ files });
  return { ...ctx, log };
}

test('dropping a Langfuse export shows its header with span count and cost', async () => {
  const file = fixture('langfuse', 'openai-agents-2025-09-30.trace.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const spans = raw.observations.length;
  const cost = raw.observations.reduce((s, o) => s + (o.costDetails?.total ?? 0), 0);
  const { page, errors, foreign, context } = await openWith([asFile(file)]);
  await page.getByTestId('run-header').waitFor();
  assert.equal(await page.locator('.run-name').textContent(), raw.trace.name);
  assert.equal(await page.getByTestId('run-counts').textContent(), `${spans} spans · 2 LLM calls · 1 tool call · 0 errors`);
  assert.match(await page.getByTestId('run-cost').textContent(), new RegExp(`^\\$${cost.toFixed(4).replace('.', '\\.')} reported`));
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('clicking an LLM span shows its tokens in the details', async () => {
  const file = fixture('langfuse', 'openai-agents-2025-09-30.trace.json');
  const { page, context } = await openWith([asFile(file)]);
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  // The waterfall lists spans by start time: the earliest GENERATION comes first.
  const first = raw.observations.filter((o) => o.type === 'GENERATION').sort((a, b) => a.startTime.localeCompare(b.startTime))[0];
  const gen = page.locator('.wf-row', { has: page.locator('.kind-badge', { hasText: 'llm' }) }).first();
  await gen.click();
  const tokens = page.getByTestId('span-tokens');
  await tokens.waitFor();
  const text = await tokens.textContent();
  assert.match(text, new RegExp(`Input\\s*${first.usageDetails.input}(?!\\d)`));
  assert.match(text, new RegExp(`Output\\s*${first.usageDetails.output}(?!\\d)`));
  assert.match(text, new RegExp(`\\$${first.costDetails.total.toFixed(4).replace('.', '\\.')} reported`));
  await context.close();
});

test('the seed-000 loop scenario lists a loop, and clicking it marks the looping spans', async () => {
  const dir = fixture('seed-formats', 'seed000-code-review-agent', 'c_loop');
  const files = ['traces.json', 'log.json', 'tokens.json', 'metrics.json'].map((f) => asFile(path.join(dir, f)));
  // A tall window, so all 39 rows are in the (virtualized) DOM at once.
  const { page, context } = await openWith(files, { viewport: { width: 1280, height: 1400 } });
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('tab', { name: /Anomalies/ }).click();
  const loop = page.locator('.anomaly[data-kind="loop"]');
  await loop.waitFor();
  assert.match(await loop.textContent(), /read_file was called 9 times with the same arguments/);
  await loop.locator('.anomaly-head').click();
  // All nine read_file tool spans are marked, and the first is selected.
  await page.waitForFunction(() => document.querySelectorAll('.wf-row.marked').length === 9);
  const marked = await page.locator('.wf-row.marked .wf-label').allTextContents();
  assert.deepEqual(marked, Array(9).fill('Tool: read_file'));
  assert.equal(await page.locator('.wf-row.selected .wf-label').textContent(), 'Tool: read_file');
  await context.close();
});

test('a long log opens on its first 100 entries; Show more and the filters page through the rest', async () => {
  const dir = fixture('seed-formats', 'seed000-code-review-agent', 'c_loop');
  const log = JSON.parse(fs.readFileSync(path.join(dir, 'log.json'), 'utf8'));
  const long = [...log, ...log, ...log, ...log]; // 4 × 47 entries, all inside the run
  const { page, errors, context } = await openWith([
    asFile(path.join(dir, 'traces.json')),
    { name: 'log.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(long)) },
  ]);
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('tab', { name: /Logs/ }).click();
  const entries = page.locator('[data-testid=logs-panel] li.log');
  await entries.first().waitFor();
  assert.equal(await entries.count(), 100);
  const more = page.getByTestId('logs-more');
  assert.equal(await more.textContent(), `Show 88 more (100 of ${long.length} shown)`);
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=logs-panel] li.log').length === n, long.length);
  assert.equal(await more.count(), 0);
  // A level filter starts again from one page of what it keeps.
  const infos = long.filter((g) => g.level === 'INFO').length;
  await page.getByLabel('Level').selectOption('INFO');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=logs-panel] li.log').length === n, Math.min(100, infos));
  assert.ok(infos > 100, `INFO entries: ${infos}`);
  assert.equal(await more.textContent(), `Show ${Math.min(100, infos - 100)} more (100 of ${infos} shown)`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the spans CSV and the analysis JSON download as files with every span', async () => {
  const file = fixture('jaeger', 'genai-test-trace.json');
  const { page, errors, context } = await openWith([asFile(file)]);
  await page.getByTestId('run-header').waitFor();
  const spans = Number((await page.getByTestId('run-counts').textContent()).match(/^([\d,]+) spans/)[1].replace(/,/g, ''));
  await page.getByRole('tab', { name: /Cost/ }).click();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV', exact: true }).click()]);
  assert.match(csv.suggestedFilename(), /\.spans\.csv$/);
  const lines = fs.readFileSync(await csv.path(), 'utf8').trimEnd().split('\n');
  assert.equal(lines[0].split(',')[0], 'span_id');
  assert.equal(lines.length, spans + 1);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON', exact: true }).click()]);
  const doc = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(doc.summary.spans, spans);
  assert.deepEqual(errors, []);
  await context.close();
});

test('search finds a span by an attribute value, and n moves to the next match', async () => {
  const file = fixture('jaeger', 'genai-test-trace.json');
  const { page, context } = await openWith([asFile(file)]);
  await page.getByTestId('run-header').waitFor();
  await page.keyboard.press('/');
  await page.keyboard.type('model-a');
  await page.waitForFunction(() => /matches/.test(document.querySelector('[data-testid=match-count]')?.textContent ?? ''));
  const count = Number((await page.getByTestId('match-count').textContent()).split(' ')[0]);
  assert.ok(count >= 4, `model-a appears on the four model-a chat spans at least (got ${count})`);
  await page.keyboard.press('Enter');
  const first = await page.locator('.wf-row.selected').getAttribute('data-span');
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  const second = await page.locator('.wf-row.selected').getAttribute('data-span');
  assert.notEqual(first, null);
  assert.notEqual(second, first);
  assert.equal(await page.locator('.wf-row.selected.match').count(), 1);
  await context.close();
});

test('keyboard: arrows move the selection, left collapses, right expands', async () => {
  const dir = fixture('seed-formats', 'seed000-code-review-agent', 'a_success');
  const { page, context } = await openWith([asFile(path.join(dir, 'traces.json'))]);
  await page.getByTestId('run-header').waitFor();
  const total = await page.locator('.wf-row').count();
  await page.locator('.wf-row').first().click();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.wf-row.selected .wf-label').textContent(), 'Iteration 1');
  assert.equal(await page.locator('.wf-row.selected').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('.wf-row.selected').getAttribute('aria-expanded'), 'false');
  assert.ok(await page.locator('.wf-row').count() < total);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('.wf-row').count(), total);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.wf-row.selected .wf-label').textContent(), 'Think');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.locator('.wf-row.selected .wf-label').textContent(), 'Iteration 1');
  await context.close();
});

test('a generated 100k-span trace opens and scrolling keeps the DOM bounded', async () => {
  const g = generate(100_000);
  const want = expectedCounts(100_000);
  const { page, errors, context, log } = await openWith([asFile(g.otlp)]);
  const header = page.getByTestId('run-counts');
  await header.waitFor({ timeout: 60_000 });
  assert.equal(await header.textContent(),
    `100,000 spans · ${want.llm.toLocaleString('en-US')} LLM calls · ${want.tools.toLocaleString('en-US')} tool calls · ${want.errors.toLocaleString('en-US')} errors`);
  // A 46 MB OTLP document is read in pieces and parsed as they arrive, never whole.
  assert.equal(log.length, 1, `load log: ${log}`);
  assert.match(log[0], /read and parsed while streaming \d+ ms/);
  const body = page.getByTestId('wf-body');
  const counts = [];
  for (let i = 0; i < 12; i++) {
    await body.evaluate((el, i) => { el.scrollTop = i * 250_000; }, i);
    await page.waitForTimeout(50);
    counts.push(await page.locator('.wf-row').count());
  }
  // 720 px viewport / 24 px rows ≈ 22 visible rows + 2 × 8 overscan: never more than 60.
  assert.ok(Math.max(...counts) <= 60, `rows in DOM: ${counts}`);
  assert.ok(Math.min(...counts) >= 10, `rows in DOM: ${counts}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 100k-span run: thousands of anomalies open as counts per kind and pages, sharing waits to be asked', async () => {
  const g = generate(100_000);
  const { page, errors, context } = await openWith([asFile(g.otlp)]);
  await page.getByTestId('run-counts').waitFor({ timeout: 60_000 });
  const tab = page.getByRole('tab', { name: /Anomalies/ });
  const total = Number((await tab.locator('.tab-count').textContent()).replace(/,/g, ''));
  assert.ok(total > 1000, `anomalies: ${total}`);
  await tab.click();
  const items = page.locator('[data-testid=anomalies] > li.anomaly');
  await items.first().waitFor();
  // The first page only; building all of them held the page for seconds.
  assert.equal(await items.count(), 50);
  // One button per kind found, with its count; they add up to the tab's count.
  const chips = page.getByTestId('anomaly-kinds').locator('button');
  const labels = await chips.allTextContents();
  assert.equal(labels[0], `All ${total.toLocaleString('en-US')}`);
  const perKind = labels.slice(1).map((l) => Number(l.match(/([\d,]+)$/)[1].replace(/,/g, '')));
  assert.ok(perKind.length >= 2, `kinds: ${labels}`);
  assert.equal(perKind.reduce((a, b) => a + b, 0), total);
  const more = page.getByTestId('anomaly-more');
  assert.equal(await more.textContent(), `Show 50 more (50 of ${total.toLocaleString('en-US')} shown)`);
  await more.click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=anomalies] > li.anomaly').length === 100);
  // A kind's button shows that kind only, from its first page again.
  const last = labels.length - 1;
  const [, words] = labels[last].match(/^(.*) ([\d,]+)$/);
  await chips.nth(last).click();
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid=anomalies] > li.anomaly').length === want,
    Math.min(50, perKind[last - 1]));
  const kinds = await items.evaluateAll((els) => [...new Set(els.map((e) => e.dataset.kind))]);
  assert.deepEqual(kinds, [words.replace(/ /g, '_')]);
  assert.equal(await chips.nth(last).getAttribute('aria-pressed'), 'true');
  // Share: a run this big is not packed into a link until asked.
  await page.getByTestId('share').click();
  await page.getByTestId('share-dialog').waitFor();
  assert.equal(await page.getByTestId('share-link').inputValue(), '');
  assert.match(await page.getByTestId('share-size').textContent(), /^This run has 100,000 spans/);
  assert.ok(await page.getByRole('button', { name: 'Copy link' }).isDisabled());
  await page.getByTestId('share-pack').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=share-link]').value.includes('&data='), null, { timeout: 60_000 });
  const size = await page.getByTestId('share-size').textContent();
  assert.match(size, /KB: /);
  // A link of megabytes is shown cut short, with its length (the size line's KB × 1,024).
  const shown = await page.getByTestId('share-link').inputValue();
  const [, chars] = shown.match(/… \(shown up to here; Copy link copies all ([\d,]+) characters\)$/);
  assert.equal(Math.round(Number(chars.replace(/,/g, '')) / 1024), Number(size.match(/^(\d+) KB/)[1]));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file of 250 traces lists 100 runs at a time, in the order and filter chosen', async () => {
  // One span per trace; trace k lasts k ms, so sorting by duration is checkable.
  const spans = Array.from({ length: 250 }, (_, k) => ({
    traceId: (k + 1).toString(16).padStart(32, '0'), spanId: (k + 1).toString(16).padStart(16, '0'),
    name: `job ${k}`, startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(k) * 1_000_000_000n),
    endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(k) * 1_000_000_000n + BigInt(k + 1) * 1_000_000n),
  }));
  const doc = { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] };
  const { page, errors, context } = await openWith([{ name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) }]);
  const rows = page.locator('[data-testid=run-list] tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=run-list] tbody tr').length === 100);
  assert.equal(await page.getByRole('button', { name: /^Runs/ }).textContent(), 'Runs (250)');
  const more = page.getByTestId('runs-more');
  assert.equal(await more.textContent(), 'Show 100 more (100 of 250 runs shown)');
  // Sorted by duration, longest first: the first page is the longest 100 of all 250.
  await page.getByRole('button', { name: 'Duration' }).click();
  await page.getByRole('button', { name: 'Duration' }).click();
  assert.equal(await rows.first().locator('td').nth(1).textContent(), 'job 249');
  assert.equal(await rows.nth(99).locator('td').nth(1).textContent(), 'job 150');
  await more.click();
  await more.click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=run-list] tbody tr').length === 250);
  assert.equal(await more.count(), 0);
  // The filter starts again from one page of what it matches.
  await page.getByLabel('Filter runs').fill('job 1');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=run-list] tbody tr').length === 100);
  assert.equal(await more.textContent(), 'Show 11 more (100 of 111 runs shown)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a big file the streaming reader cannot take is read whole, with the whole reader\'s warning', async () => {
  // 20k generated spans (about 9 MB, over the 8 MiB streaming threshold) plus one span without a
  // spanId: streaming gives up on it and the whole-file reader loads everything and says why.
  const g = generate(20_000);
  const want = expectedCounts(20_000);
  const text = fs.readFileSync(g.otlp, 'utf8');
  const traceId = /"traceId":"([0-9a-f]+)"/.exec(text)[1];
  const extra = `{"traceId":"${traceId}","name":"stray","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000001000"},`;
  const at = text.indexOf('"spans":[') + '"spans":['.length;
  const buffer = Buffer.from(text.slice(0, at) + extra + text.slice(at));
  assert.ok(buffer.length > 8 * 1024 * 1024, `${buffer.length} bytes`);
  const { page, errors, context, log } = await openWith([{ name: 'stray.json', mimeType: 'application/json', buffer }]);
  await page.getByTestId('run-counts').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('run-counts').textContent(),
    `20,001 spans · ${want.llm.toLocaleString('en-US')} LLM calls · ${want.tools.toLocaleString('en-US')} tool calls · ${want.errors.toLocaleString('en-US')} errors`);
  assert.equal(log.length, 1, `load log: ${log}`);
  assert.doesNotMatch(log[0], /while streaming/);
  // The problem names the file and the span, in the whole-file reader's words.
  await page.getByTestId('problems').getByRole('button', { name: 'Show all' }).click();
  const problems = await page.getByTestId('problems').textContent();
  assert.match(problems, /stray\.json/);
  assert.match(problems, /span "stray" has no spanId; it was kept as "\(no id 1\)"/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile text in names and attributes is shown as text and runs nothing', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const doc = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: evil } }] },
    scopeSpans: [{ scope: { name: 'x' }, spans: [
      { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: evil, kind: 1,
        startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000001000000000',
        attributes: [{ key: 'gen_ai.prompt', value: { stringValue: evil } }, { key: evil, value: { stringValue: '<script>alert(2)</script>' } }] },
    ] }] }] };
  const { page, dialogs, errors, context } = await openWith([{ name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) }]);
  await page.getByTestId('run-header').waitFor();
  assert.equal(await page.locator('.run-name').textContent(), evil);
  await page.locator('.wf-row').first().click();
  await page.getByTestId('span-attrs').waitFor();
  assert.match(await page.getByTestId('span-attrs').textContent(), /<script>alert\(2\)<\/script>/);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  assert.equal(await page.locator('body script:not([src])').count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors.filter((e) => /alert/.test(e)), []);
  await context.close();
});

test('a bad file gets a clear message naming it, and the other files still load', async () => {
  const good = fixture('otlp', 'otel-proto-example-trace.json');
  const { page, context } = await openWith([
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"resourceSpans": [') },
    asFile(good),
  ]);
  const problems = page.getByTestId('problems');
  await problems.waitFor();
  const text = await problems.textContent();
  assert.match(text, /broken\.json/);
  assert.match(text, /ends|truncated|unexpected end/i);
  await page.getByTestId('run-header').waitFor();
  await context.close();
});

test('light and dark themes render; screenshots are saved', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, context } = await openPage(browser, srv.url, { colorScheme: scheme });
    await page.getByTestId('run-header').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), scheme);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
    await page.locator('.wf-row').nth(3).click();
    await page.screenshot({ path: outFile(`theme-${scheme}.png`) });
    await context.close();
  }
  const { page, context } = await openPage(browser, srv.url, { viewport: { width: 390, height: 844 } });
  await page.getByTestId('run-header').waitFor();
  await page.screenshot({ path: outFile('narrow-390.png'), fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page overflows a 390 px screen by ${overflow}px`);
  await context.close();
  fs.copyFileSync(outFile('theme-dark.png'), path.join(ROOT, 'docs/screenshot-dark.png'));
});
