// The spine: the release build loads under /spoor/ with no console errors, shows the demo run
// with its counts in words, opens dropped and picked files, and sends nothing off the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openPage, fixture, ROOT } from './harness.mjs';
import { generate, expectedCounts, spans } from '../../bench/browser/generate.mjs';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

test('the demo run is shown on first load, with its counts in words', async () => {
  const { page, errors, foreign, context } = await openPage(browser, srv.url);
  const header = page.getByTestId('run-header');
  await header.waitFor();
  assert.match(await page.locator('.run-name').textContent(), /^Agent Run: Review sample\.py and fix any/);
  // b_errors: 1 root + 9 iterations + 9 Think + 5 Act + 5 Tool = 29 spans; 9 LLM calls; 5 tool
  // calls (TOOL_CALL spans); errors: Act ERROR, its Tool, JSON_ERROR and INVALID_RESPONSE iterations.
  assert.equal(await page.getByTestId('run-counts').textContent(),
    '29 spans · 9 LLM calls · 5 tool calls · 4 errors');
  const rows = await page.locator('.wf-row').count();
  assert.equal(rows, 29);
  await page.screenshot({ path: path.join(ROOT, 'docs/screenshot.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('a file dropped on the page opens its run', async () => {
  const { page, errors, foreign, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  const file = fixture('jaeger', 'genai-test-trace.json');
  await page.locator('body').drop({ files: { name: 'genai-test-trace.json', mimeType: 'application/json', buffer: fs.readFileSync(file) } });
  // Two runs are loaded now (demo + dropped): the list shows both; open the dropped one.
  await page.getByRole('button', { name: /Runs \(2\)/ }).click();
  const names = await page.locator('.run-link').allTextContents();
  assert.equal(names.length, 2);
  // The Jaeger trace's root operation, its 57 spans (fixtures README), its five `chat` spans,
  // seven execute_tool spans and one error span.
  await page.getByRole('button', { name: 'POST /api/graphql' }).click();
  assert.equal(await page.getByTestId('run-counts').textContent(),
    '57 spans · 5 LLM calls · 7 tool calls · 1 error');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('a file chosen with the file picker opens its run', async () => {
  const { page, errors, foreign, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('empty').waitFor();
  await page.getByTestId('file-input').setInputFiles(fixture('seed-formats', 'seed001-agenttracer', 'run_partial.json'));
  await page.getByTestId('run-header').waitFor();
  // AgentTracer run: its 4 steps under the run's own span; one step names a model (respond),
  // one is a tool step, and that tool step failed.
  assert.equal(await page.locator('.run-name').textContent(), 'support-agent v1.0.0');
  assert.equal(await page.getByTestId('run-counts').textContent(), '5 spans · 1 LLM call · 1 tool call · 1 error');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('a file dropped while another is still loading is added to it, not lost', async () => {
  // A generated 100k-span trace: once read, it is assembled and analysed in slices for about
  // 300 ms, and the second file is dropped as that begins (seen by the progress text).
  const big = generate(100_000);
  const want = expectedCounts(100_000);
  const { page, errors, foreign, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('empty').waitFor();
  await page.route('**/generated-100k.json', (r) => r.fulfill({ path: big.otlp, contentType: 'application/json' }));
  const small = fs.readFileSync(fixture('jaeger', 'genai-test-trace.json'), 'utf8');
  const logs = [];
  page.on('console', (m) => { if (m.text().startsWith('spoor: analysed')) logs.push(m.text()); });
  const progress = await page.evaluate(async (small) => {
    const bigFile = new File([await (await fetch('generated-100k.json')).blob()], 'generated-100k.json');
    const drop = (file) => {
      const dt = new DataTransfer();
      dt.items.add(file);
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    };
    const dropped = new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        const text = document.querySelector('[data-testid=loading]')?.textContent ?? '';
        if (text.startsWith('Opening generated-100k.json')) {
          watch.disconnect();
          drop(new File([small], 'genai-test-trace.json'));
          resolve(text);
        }
      });
      watch.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    drop(bigFile);
    return dropped;
  }, small);
  assert.equal(progress, 'Opening generated-100k.json…');
  await page.getByRole('button', { name: 'Runs (2)' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  // The second load analysed its own run only; the big run kept its analysis (its counts,
  // checked below, come from that analysis).
  assert.match(logs.at(-1), /^spoor: analysed 1 of 2 runs in \d+ ms \(1 unchanged kept their analysis\)/);
  await page.getByRole('button', { name: 'Runs (2)' }).click();
  const names = await page.locator('.run-link').allTextContents();
  assert.equal(names.length, 2);
  await page.getByRole('button', { name: 'POST /api/graphql' }).click();
  assert.equal(await page.getByTestId('run-counts').textContent(),
    '57 spans · 5 LLM calls · 7 tool calls · 1 error');
  await page.getByRole('button', { name: 'Runs (2)' }).click();
  await page.locator('.run-link').filter({ hasNotText: 'POST /api/graphql' }).click();
  assert.equal(await page.getByTestId('run-counts').textContent(),
    `${want.spans.toLocaleString('en-US')} spans · ${want.llm.toLocaleString('en-US')} LLM calls · `
    + `${want.tools.toLocaleString('en-US')} tool calls · ${want.errors.toLocaleString('en-US')} errors`);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('the demo is fetched from beside the app, and a demo file that cannot be fetched is named', async () => {
  const missing = (r) => r.fulfill({ status: 404, body: 'not found' });
  const { page, context } = await openPage(browser, srv.url, {
    routes: [['**/code-review-agent.handoff', missing], ['**/code-review-agent/log.json', missing]],
  });
  // A first visit fetches the demo as read ahead of time; without it, the page says so.
  await page.getByTestId('empty').waitFor();
  assert.match(await page.getByTestId('problems').textContent(),
    /the demo run: it could not be fetched: the host answered HTTP 404/);
  // Beside a loaded file, the demo's own files are fetched (and read by the formats worker):
  // the trace file still makes the run, and the log file's absence is a problem naming it.
  await page.locator('body').drop({ files: [{ name: 'one.json', mimeType: 'application/json', buffer: fs.readFileSync(fixture('otlp', 'otel-proto-example-trace.json')) }] });
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('button', { name: 'Demo run' }).click();
  await page.getByRole('button', { name: 'Runs (2)' }).click();
  await page.locator('.run-link', { hasText: 'Agent Run: Review sample.py' }).click();
  assert.match(await page.locator('.run-name').textContent(), /^Agent Run: Review sample\.py/);
  const problems = await page.getByTestId('problems').textContent();
  assert.match(problems, /demo\/log\.json/);
  assert.match(problems, /the demo file could not be fetched: the host answered HTTP 404/);
  await context.close();
});

test('a #src= link opens the hosted file, and a file dropped while it is fetched is added after it', async () => {
  // The hosted file is answered late (the route waits until the drop has happened), so the drop
  // lands while the link's fetch is in flight.
  let release;
  const dropped = new Promise((r) => { release = r; });
  const hosted = fixture('jaeger', 'genai-test-trace.json');
  const { page, errors, foreign, context } = await openPage(browser, `${srv.url}#src=${encodeURIComponent(`${srv.url}hosted/genai-test-trace.json`)}`, {
    routes: [['**/hosted/genai-test-trace.json', async (r) => { await dropped; r.fulfill({ path: hosted, contentType: 'application/json' }); }]],
  });
  await page.getByTestId('loading').filter({ hasText: 'Fetching' }).waitFor();
  await page.locator('body').drop({ files: { name: 'run_partial.json', mimeType: 'application/json', buffer: fs.readFileSync(fixture('seed-formats', 'seed001-agenttracer', 'run_partial.json')) } });
  release();
  await page.getByRole('button', { name: 'Runs (2)' }).waitFor();
  await page.getByRole('button', { name: 'Runs (2)' }).click();
  await page.getByRole('button', { name: 'POST /api/graphql' }).click();
  assert.equal(await page.getByTestId('run-counts').textContent(),
    '57 spans · 5 LLM calls · 7 tool calls · 1 error');
  await page.getByRole('button', { name: 'Runs (2)' }).click();
  await page.getByRole('button', { name: 'support-agent v1.0.0' }).click();
  assert.equal(await page.getByTestId('run-counts').textContent(), '5 spans · 1 LLM call · 1 tool call · 1 error');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});

test('on a big run the search waits for a pause in typing, shows that it is searching, then its matches once', async () => {
  const big = generate(100_000);
  let want = 0;
  spans(100_000, (s) => { if (JSON.stringify([s.name, s.attrs]).toLowerCase().includes('read_file')) want++; });
  const { page, errors, foreign, context } = await openPage(browser, srv.url, {
    routes: [['**/generated-100k.json', (r) => r.fulfill({ path: big.otlp, contentType: 'application/json' })]],
  });
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('empty').waitFor();
  await page.evaluate(async () => {
    const file = new File([await (await fetch('generated-100k.json')).blob()], 'generated-100k.json');
    const dt = new DataTransfer();
    dt.items.add(file);
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.getByTestId('run-counts').filter({ hasText: /^100,000 spans/ }).waitFor({ timeout: 60_000 });
  // Every text the match count shows while a word is typed at 20 ms a key.
  await page.evaluate(() => {
    window.shown = [];
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid=match-count]')?.textContent;
      if (t) window.shown.push(t);
    }).observe(document.querySelector('.toolbar'), { subtree: true, childList: true, characterData: true });
  });
  await page.locator('#search').pressSequentially('READ_file', { delay: 20 });
  await page.getByTestId('match-count').filter({ hasText: 'matches' }).waitFor();
  await page.waitForTimeout(500);
  const shown = [...new Set(await page.evaluate(() => window.shown))];
  // One count, after a "Searching…" (the search runs in pieces on a run this big); never a
  // count of a part of the word, nor a stale count while the search runs.
  assert.deepEqual(shown.filter((t) => !t.startsWith('Searching…')), [`${want} matches`]);
  assert.equal(shown[0], 'Searching…');
  assert.equal(shown.at(-1), `${want} matches`);
  assert.ok(want > 1000, `${want}`);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign(), []);
  await context.close();
});
