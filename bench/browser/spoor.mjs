// One Spoor measurement: a fresh page with the demo run, Clear, load the generated OTLP file,
// then time the first painted waterfall row and the filled run header, read memory, and drive
// the waterfall (scroll, Ctrl+wheel zoom) while recording frame times.
import fs from 'node:fs';
import { captureWasmMemory, armLoadProbe, driveFrames, searchProbe } from './page-probes.mjs';
import { median, percentile } from './table.mjs';

/** A tool name the generator gives to a share of its tool calls. */
const SEARCH_TEXT = 'read_file';

/**
 * Clicks a user makes once a run is open, each timed by the longest main-thread block it causes
 * (a page that freezes for more than 100 ms feels broken). Each waits for what it shows.
 */
const ACTIONS = [
  ['anomalies panel', async (page) => {
    await page.getByRole('tab', { name: /Anomalies/ }).click();
    await page.locator('[data-testid=anomalies], [data-testid=no-anomalies]').first().waitFor();
  }],
  ['span selected', async (page) => {
    await page.locator('.wf-row').nth(3).click();
    await page.getByTestId('span-details').waitFor();
  }, async (page) => page.getByRole('tab', { name: 'Span' }).click()],
  ['critical path shown', async (page) => {
    await page.getByTestId('critical-toggle').check();
    await page.locator('.wf-row.critical').first().waitFor();
  }],
  ['share dialog', async (page) => {
    await page.getByTestId('share').click();
    await page.getByTestId('share-dialog').waitFor();
  }],
];

/** Playwright refuses buffers of 50 MB or more; bigger files go by path. */
const BUFFER_LIMIT = 48 * 1024 * 1024;

const frameStats = (r) => {
  if (!r || r.error || !r.deltas?.length) return { error: r?.error || 'no frames' };
  const d = r.deltas;
  const total = d.reduce((a, b) => a + b, 0);
  return { medianMs: median(d), p95Ms: percentile(d, 95), fps: (d.length / total) * 1000, frames: d.length };
};

/**
 * Measures one load of `gen` (from generate()) in Spoor served at `url`. Returns
 * `{firstRowMs, panelsMs, heapBytes, wasmBytes, wasmSource, scroll, zoom, search, method, error}`;
 * a stage that times out sets `error` and `timedOut` and leaves later figures empty.
 */
export async function measureSpoor(browser, url, gen, { timeoutMs, frameMs = 2000, log = () => {} }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const out = { method: null };
  const consoleErrors = [];
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
    if (out.method && m.text().startsWith('spoor:')) log(`  app: ${m.text()}`);
    // The app's own log of a file load: "spoor: parsed in N ms, analysed and rendered in M ms".
    const a = /^spoor: parsed in (\d+) ms, analysed and rendered in (\d+) ms/.exec(m.text());
    if (a && out.method) { out.parseMs = Number(a[1]); out.analyseRenderMs = Number(a[2]); }
    // A streamed file adds "(read and parsed while streaming N ms, then assembled in M ms)".
    const s = /read and parsed while streaming (\d+) ms, then assembled in (\d+) ms/.exec(m.text());
    if (s && out.method) { out.streamMs = Number(s[1]); out.assembleMs = Number(s[2]); }
  });
  try {
    await page.addInitScript(captureWasmMemory);
    await page.goto(url, { timeout: 60_000 });
    await page.getByTestId('run-header').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Clear', exact: true }).click({ timeout: 10_000 });
    await page.getByTestId('empty').waitFor({ timeout: 30_000 });

    const spansText = `${gen.total.toLocaleString('en-US')} spans`;
    await page.evaluate(armLoadProbe, {
      marks: [
        { key: 'firstRow', selector: '.wf-row', visible: true },
        { key: 'panels', selector: '[data-testid=run-counts]', textPrefix: spansText },
      ],
      fail: { selector: '[data-testid=problems].has-errors' },
    });
    const name = `agent-${gen.total}.otlp.json`;
    if (gen.otlpBytes < BUFFER_LIMIT) {
      out.method = 'drop';
      await page.locator('body').drop({ files: [{ name, mimeType: 'application/json', buffer: fs.readFileSync(gen.otlp) }] }, { timeout: 60_000 });
    } else {
      // Above Playwright's buffer limit: the hidden file input, by path (a drop by path waits on
      // the page, which is busy parsing, and times out). Not awaited: the page may stay busy.
      out.method = 'file input';
      page.getByTestId('file-input').setInputFiles(gen.otlp, { timeout: 60_000 })
        .catch((e) => log(`  setInputFiles: ${String(e.message).split('\n')[0]}`));
    }
    const done = await waitForBench(page, (b) => b.t.firstRow != null && b.t.panels != null, timeoutMs, () => crashed);
    const b = await page.evaluate(() => window.__bench && { t: window.__bench.t, failed: window.__bench.failed }).catch(() => null);
    out.firstRowMs = b?.t.firstRow ?? null;
    // Long tasks reach the observer when they end: give the last one a moment to arrive.
    await page.waitForTimeout(200);
    const blocks = await page.evaluate((until) => window.__bench.blocks && window.__bench.blocks.filter(([s]) => s <= until), b?.t.panels ?? 0).catch(() => null);
    if (blocks) {
      out.longestBlockMs = blocks.reduce((m, [, d]) => Math.max(m, d), 0);
      out.blocksOver100 = blocks.filter(([, d]) => d > 100).length;
      log(`  main-thread blocks over 50 ms (start after drop + duration): ${blocks.map(([t, d]) => `${Math.round(t)}+${Math.round(d)}`).join(', ') || 'none'}`);
    }
    out.panelsMs = b?.t.panels ?? null;
    if (!done.ok) {
      out.error = crashed ? 'page crashed (out of memory?)' : b?.failed ? `problems: ${b.failed}` : done.why;
      out.timedOut = done.timedOut;
      out.stuck = true; // the renderer may still be busy: the caller relaunches the browser
      out.counts = await page.getByTestId('run-counts').textContent({ timeout: 1000 }).catch(() => null);
      return out;
    }
    out.counts = await page.getByTestId('run-counts').textContent({ timeout: 5000 });

    // Memory, after the load settled and a full GC.
    await page.waitForTimeout(500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    const heap = await cdp.send('Runtime.getHeapUsage');
    out.heapBytes = heap.usedSize;
    const wasm = await page.evaluate(() => ({
      attr: document.body.dataset.wasmBytes ? Number(document.body.dataset.wasmBytes) : null,
      hooked: (window.__benchMemories || []).reduce((s, m) => s + m.buffer.byteLength, 0),
    }));
    out.wasmBytes = wasm.attr ?? wasm.hooked;
    out.wasmSource = wasm.attr != null ? 'data-wasm-bytes' : 'WebAssembly.Memory';
    await cdp.detach().catch(() => {});

    // Frames while scrolling, then while zooming.
    await page.getByTestId('wf-body').hover({ timeout: 10_000 });
    const scroll = await page.evaluate(driveFrames, { selector: '[data-testid=wf-body]', mode: 'scroll', ms: frameMs, step: 96 });
    out.scroll = frameStats(scroll);
    const axisBefore = await page.getByTestId('axis').textContent({ timeout: 5000 }).catch(() => '');
    const zoom = await page.evaluate(driveFrames, { selector: '[data-testid=wf-body]', mode: 'zoom', ms: frameMs, step: 40 });
    out.zoom = frameStats(zoom);
    const zoomed = await page.getByTestId('zoom-reset').count().catch(() => 0);
    const axisAfter = await page.getByTestId('axis').textContent({ timeout: 5000 }).catch(() => '');
    if (!zoomed && axisBefore === axisAfter) out.zoom.warning = 'the time axis did not change: zoom may not have happened';

    // A word put in the search box at once: time to its match count, and the longest block.
    const search = await page.evaluate(searchProbe, { text: SEARCH_TEXT, timeoutMs: Math.min(timeoutMs, 120_000) });
    out.search = search.error ? { error: search.error } : { ms: search.ms, matches: search.matches, longestBlockMs: Math.max(0, ...search.blocks) };
    log(`  search ${JSON.stringify(SEARCH_TEXT)}: ${search.error ?? `${search.matches} matches in ${Math.round(search.ms)} ms, blocks over 50 ms: ${search.blocks.map(Math.round).join(', ') || 'none'}`}`);

    // Clicks on the open run: the longest block each causes.
    await page.evaluate(() => {
      window.__actionBlocks = [];
      try {
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__actionBlocks.push([e.startTime, e.duration]); })
          .observe({ type: 'longtask' });
      } catch (_) { /* no Long Tasks API: no blocks */ }
    });
    out.actions = {};
    for (const [name, act, before] of ACTIONS) {
      try {
        if (before) await before(page);
        await page.waitForTimeout(300);
        const t0 = await page.evaluate(() => performance.now());
        await act(page);
        await page.waitForTimeout(300);
        const blocks = await page.evaluate((t0) => window.__actionBlocks.filter(([s]) => s >= t0).map(([, d]) => d), t0);
        out.actions[name] = Math.max(0, ...blocks);
      } catch (e) {
        out.actions[name] = null;
        out.actionError = `${name}: ${String(e.message || e).split('\n')[0]}`;
      }
    }
    log(`  clicks, longest block each: ${Object.entries(out.actions).map(([k, v]) => `${k} ${v == null ? 'failed' : v ? `${Math.round(v)} ms` : 'none over 50 ms'}`).join(', ')}`);
    out.consoleErrors = consoleErrors;
    return out;
  } catch (e) {
    out.error = crashed ? 'page crashed (out of memory?)' : String(e.message || e).split('\n')[0];
    return out;
  } finally {
    const closed = await Promise.race([context.close().then(() => true, () => false), new Promise((r) => setTimeout(() => r(false), 30_000))]);
    if (!closed) out.stuck = true;
  }
}

/** Polls `__bench` until `pred` holds, the page reports a failure, crashes, or time runs out. */
export async function waitForBench(page, pred, timeoutMs, crashed) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (crashed()) return { ok: false, why: 'page crashed' };
    const b = await Promise.race([
      page.evaluate(() => window.__bench && { t: window.__bench.t, failed: window.__bench.failed }).catch(() => null),
      new Promise((r) => setTimeout(() => r('busy'), 5000)),
    ]);
    if (b && b !== 'busy') {
      if (pred(b)) return { ok: true };
      if (b.failed) return { ok: false, why: `failed: ${b.failed}` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, timedOut: true, why: `no result within ${Math.round(timeoutMs / 1000)} s` };
}
