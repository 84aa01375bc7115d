// The page's module reads OTLP only; every other format is read by the formats worker, started
// the first time such a file is opened. A first visit (the demo) and OTLP files never download
// it; a Jaeger file starts it and shows every span; a worker that cannot start is a message
// naming the file, and the page still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openPage, fixture } from './harness.mjs';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const asFile = (p) => ({ name: path.basename(p), mimeType: 'application/json', buffer: fs.readFileSync(p) });
const worker = (requests) => requests.filter((u) => /formats/.test(u));
// python3: len(json.load(f)["spans"]) == 57, one traceID.
const JAEGER = fixture('jaeger', 'genai-test-trace.json');
// python3: one span in resourceSpans[0].scopeSpans[0].spans.
const OTLP = fixture('otlp', 'otel-proto-example-trace.json');

async function dropAfterClear(page, files) {
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('empty').waitFor();
  await page.locator('body').drop({ files });
}

test('the demo and OTLP files open without the formats worker; a Jaeger file starts it', async () => {
  const { page, requests, errors, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  // The demo is seed 000's format, shipped already read: its four files, one run.
  assert.match(await page.getByTestId('run-counts').textContent(), /^\d+ spans/);
  assert.ok(requests.some((u) => u.endsWith('/code-review-agent.handoff')), 'the demo answer');
  await dropAfterClear(page, [asFile(OTLP)]);
  await page.getByTestId('run-header').waitFor();
  assert.match(await page.getByTestId('run-counts').textContent(), /^1 spans? /);
  assert.deepEqual(worker(requests), [], 'no formats worker for the demo and an OTLP file');

  await dropAfterClear(page, [asFile(JAEGER)]);
  await page.getByTestId('run-header').waitFor();
  assert.match(await page.getByTestId('run-counts').textContent(), /^57 spans · /);
  assert.ok(worker(requests).some((u) => u.endsWith('/formats-worker.js')), worker(requests).join());
  // Clear empties the worker's files but keeps it: the same file opens again (a worker that still
  // held it would call it "already loaded"), without fetching the worker a second time.
  await dropAfterClear(page, [asFile(JAEGER)]);
  await page.getByTestId('run-header').waitFor();
  assert.match(await page.getByTestId('run-counts').textContent(), /^57 spans · /);
  assert.equal(worker(requests).filter((u) => u.endsWith('/formats-worker.js')).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo opened beside a loaded file is read by the worker and joins its side files', async () => {
  const { page, requests, errors, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  const demo = await page.getByTestId('run-counts').textContent();
  await dropAfterClear(page, [asFile(OTLP)]);
  await page.getByTestId('run-header').waitFor();
  await page.getByRole('button', { name: 'Demo run' }).click();
  await page.getByRole('button', { name: 'Runs (2)' }).click();
  assert.ok(worker(requests).length > 0, 'read by the worker');
  // Open the demo's run: the same counts as the demo read ahead of time (its log, tokens and
  // metrics joined to its traces the same way).
  await page.locator('[data-testid=run-list] tbody tr', { hasText: 'Agent Run' }).locator('.run-link').click();
  await page.getByTestId('run-header').waitFor();
  assert.equal(await page.getByTestId('run-counts').textContent(), demo);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a formats worker that cannot start is a message naming the file, and the page goes on', async () => {
  const routes = [['**/spoor-formats_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' })]];
  const { page, context } = await openPage(browser, srv.url, { routes });
  await page.getByTestId('run-header').waitFor();
  await dropAfterClear(page, [asFile(JAEGER)]);
  const problems = page.getByTestId('problems');
  await problems.waitFor();
  await problems.getByRole('button', { name: 'Show all' }).click();
  const text = await problems.textContent();
  assert.match(text, /genai-test-trace\.json/);
  assert.match(text, /Spoor's reader for this file's format could not run \(failed: .+\); nothing was loaded from it/);
  // An OTLP file still opens.
  await page.locator('body').drop({ files: [asFile(OTLP)] });
  await page.getByTestId('run-header').waitFor();
  assert.match(await page.getByTestId('run-counts').textContent(), /^1 spans? /);
  await context.close();
});

test('one drop of an OTLP file between two files of other formats: each run whole', async () => {
  const { page, errors, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  // The page reads the middle file and hands the first and last to the worker.
  await dropAfterClear(page, [
    asFile(JAEGER),
    asFile(OTLP),
    asFile(fixture('seed-formats', 'seed001-agenttracer', 'run_partial.json')),
  ]);
  await page.getByRole('button', { name: 'Runs (3)' }).click();
  const open = async (name, counts) => {
    await page.getByRole('button', { name: 'Runs (3)' }).click();
    await page.locator('.run-link', { hasText: name }).first().click();
    await page.getByTestId('run-header').waitFor();
    assert.match(await page.getByTestId('run-counts').textContent(), counts);
  };
  await open('POST /api/graphql', /^57 spans · 5 LLM calls · 7 tool calls · 1 error$/);
  await open('support-agent v1.0.0', /^5 spans · 1 LLM call · 1 tool call · 1 error$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a big file of another format goes to the worker unread: the page never holds its bytes', async () => {
  // The Jaeger fixture with 30 MB of padding under a key no reader uses.
  const doc = JSON.parse(fs.readFileSync(JAEGER, 'utf8'));
  doc.padding = 'x'.repeat(30 * 1024 * 1024);
  const buffer = Buffer.from(JSON.stringify(doc));
  const { page, requests, errors, context } = await openPage(browser, srv.url);
  await page.getByTestId('run-header').waitFor();
  await dropAfterClear(page, [{ name: 'padded.json', mimeType: 'application/json', buffer }]);
  await page.getByTestId('run-header').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('run-counts').textContent(), /^57 spans · /);
  assert.ok(worker(requests).some((u) => u.endsWith('/formats-worker.js')));
  // The page's WASM memory (it never shrinks) stayed below the file's size.
  const wasm = Number(await page.evaluate(() => document.body.dataset.wasmBytes));
  assert.ok(wasm > 0 && wasm < buffer.length, `page WASM ${wasm} bytes, file ${buffer.length}`);
  assert.deepEqual(errors, []);
  await context.close();
});
