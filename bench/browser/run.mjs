// The browser benchmark: Spoor (release build) against speedscope 1.25.0 on the same generated
// agent runs, in headless Debian Chromium. Prints one table and writes it to
// bench-results/browser.txt. Usage (scripts/bench-browser.sh passes its arguments through):
//   node bench/browser/run.mjs [--sizes 10000,100000,1000000] [--runs 3] [--runs-large 1]
//     [--timeout 120] [--timeout-large 600] [--frame-ms 2000] [--no-speedscope]
// "large" means 1,000,000 spans or more. Timeouts are seconds per load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, ROOT, DIST } from '../../tests/e2e/harness.mjs';
import { generate, BENCH_TMP } from './generate.mjs';
import { measureSpoor } from './spoor.mjs';
import { measureSpeedscope } from './speedscope.mjs';
import { bundleSizes } from './bundle.mjs';
import { table, mb, kb, ms, count, median } from './table.mjs';

const LARGE = 1_000_000;

function parseArgs(argv) {
  const o = { sizes: [10_000, 100_000, 1_000_000], runs: 3, runsLarge: 1, timeout: 120, timeoutLarge: 600, frameMs: 2000, speedscope: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v == null) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = val().split(',').map((s) => Number(s.replace(/[_k]/gi, (m) => (m.toLowerCase() === 'k' ? '000' : ''))));
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--runs-large') o.runsLarge = Number(val());
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--timeout-large') o.timeoutLarge = Number(val());
    else if (a === '--frame-ms') o.frameMs = Number(val());
    else if (a === '--no-speedscope') o.speedscope = false;
    else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 6).join('\n')); process.exit(0); }
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  for (const n of [...o.sizes, o.runs, o.runsLarge, o.timeout, o.timeoutLarge, o.frameMs]) {
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number in arguments: ${argv.join(' ')}`);
  }
  return o;
}

const log = (...a) => console.error('[bench]', ...a);

/** Copies dist/ so a rebuild by someone else mid-benchmark cannot change what is measured. */
function snapshotDist() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run scripts/build.sh /spoor/ first');
  const dir = path.join(BENCH_TMP, 'dist-snapshot');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(DIST, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.stage`) });
  return dir;
}

const withTimeout = (p, msLimit, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer within ${msLimit / 1000} s`)), msLimit))]);

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const speedscopeDir = path.join(ROOT, 'node_modules/speedscope/dist/release');
  if (opt.speedscope && !fs.existsSync(path.join(speedscopeDir, 'index.html'))) throw new Error(`${speedscopeDir} is missing: run scripts/setup.sh (npm ci)`);
  const dist = snapshotDist();
  const spoorSrv = await serve(dist, '/spoor/');
  const ssSrv = opt.speedscope ? await serve(speedscopeDir, '/speedscope/') : null;
  let browser = await launch();
  // A page still busy after a timeout keeps its core: start over with a fresh browser.
  const relaunchIf = async (m) => {
    if (!m.stuck) return;
    log('  restarting the browser (the timed-out page may still be running)');
    await withTimeout(browser.close(), 30_000, 'browser.close').catch(() => {});
    browser = await launch();
  };
  const results = [];
  try {
    for (const size of opt.sizes) {
      log(`generating ${count(size)} spans (cached in ${BENCH_TMP})…`);
      const gen = generate(size);
      const large = size >= LARGE;
      const runs = large ? opt.runsLarge : opt.runs;
      const spoorTimeout = (large ? opt.timeoutLarge : opt.timeout) * 1000;
      const r = { size, gen, runs, spoor: [], speedscope: [] };
      for (let i = 0; i < runs; i++) {
        log(`Spoor ${count(size)} spans, run ${i + 1}/${runs}…`);
        const m = await withTimeout(measureSpoor(browser, spoorSrv.url, gen, { timeoutMs: spoorTimeout, frameMs: opt.frameMs, log }), spoorTimeout + 300_000, 'Spoor run')
          .catch((e) => ({ error: e.message, stuck: true }));
        log(`  first row ${ms(m.firstRowMs)}, header ${ms(m.panelsMs)}, heap ${m.heapBytes ? mb(m.heapBytes) : '–'}, wasm ${m.wasmBytes ? mb(m.wasmBytes) : '–'}, scroll ${m.scroll?.fps?.toFixed(0) ?? '–'} fps, zoom ${m.zoom?.fps?.toFixed(0) ?? '–'} fps, longest block ${ms(m.longestBlockMs)}${m.error ? `, ERROR: ${m.error}` : ''}${m.zoom?.warning ? `, ${m.zoom.warning}` : ''}`);
        if (m.consoleErrors?.length) log(`  console errors: ${m.consoleErrors.slice(0, 3).join(' | ')}`);
        r.spoor.push(m);
        await relaunchIf(m);
        if (m.error) break; // a failed or timed-out load would only fail again, slowly
      }
      if (opt.speedscope) {
        const ssTimeout = opt.timeout * 1000;
        for (let i = 0; i < runs; i++) {
          log(`speedscope ${count(size)} spans, run ${i + 1}/${runs}…`);
          const m = await withTimeout(measureSpeedscope(browser, ssSrv.url, gen, { timeoutMs: ssTimeout }), ssTimeout + 120_000, 'speedscope run')
            .catch((e) => ({ error: e.message, stuck: true }));
          log(`  flame chart ${ms(m.paintMs)}${m.error ? `, ERROR: ${m.error}` : ''}`);
          r.speedscope.push(m);
          if (m.error) { await relaunchIf({ stuck: true }); break; }
        }
      }
      results.push(r);
    }
  } finally {
    await browser.close().catch(() => {});
    await spoorSrv.close();
    await ssSrv?.close();
  }
  const text = report(results, opt, await browserVersion());
  console.log(text);
  const outDir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'browser.txt'), `${text}\n`);
  log(`written to ${path.relative(process.cwd(), path.join(outDir, 'browser.txt')) || 'bench-results/browser.txt'}`);
}

async function browserVersion() {
  const b = await launch();
  try { return b.version(); } finally { await b.close(); }
}

/** Median of a figure over the runs that produced it; a failure shows instead when none did. */
function fig(runs, pick, fmt, limitS) {
  const vals = runs.map(pick).filter((v) => v != null && Number.isFinite(v));
  if (vals.length) return fmt(median(vals));
  const failed = runs.find((m) => m.error);
  if (!failed) return '–';
  return failed.timedOut ? `> ${limitS} s` : 'failed';
}

/** The median run's worst click (see ACTIONS in spoor.mjs), with its name: "58 ms (span selected)". */
function worstClick(r) {
  const worst = r.spoor.filter((m) => m.actions).map((m) => {
    const [name, v] = Object.entries(m.actions).sort((x, y) => (y[1] ?? Infinity) - (x[1] ?? Infinity))[0];
    return { name, v: v ?? Infinity };
  }).sort((a, b) => a.v - b.v);
  if (!worst.length) return '–';
  const mid = worst[Math.floor((worst.length - 1) / 2)];
  if (mid.v === Infinity) return 'failed';
  return mid.v > 0 ? `${ms(mid.v)} (${mid.name})` : 'none over 50 ms';
}

function report(results, opt, version) {
  const head = ['', ...results.map((r) => `${count(r.size)} spans`)];
  const col = (f) => results.map(f);
  const lim = (r) => (r.size >= LARGE ? opt.timeoutLarge : opt.timeout);
  const mem = (m) => (m.heapBytes != null && m.wasmBytes != null ? m.heapBytes + m.wasmBytes : null);
  const frames = (key) => (r) => {
    const ok = r.spoor.filter((m) => m[key]?.fps);
    if (!ok.length) return fig(r.spoor, () => null, String, lim(r));
    return `${median(ok.map((m) => m[key].fps)).toFixed(0)} fps, ${median(ok.map((m) => m[key].medianMs)).toFixed(1)} / ${median(ok.map((m) => m[key].p95Ms)).toFixed(1)} ms`;
  };
  const ratio = (r) => {
    const s = median(r.spoor.map((m) => m.firstRowMs).filter((v) => v != null));
    const p = median(r.speedscope.map((m) => m.paintMs).filter((v) => v != null));
    return s != null && p != null ? `${(s / p).toFixed(2)}×` : '–';
  };
  const rows = [
    head,
    ['OTLP JSON file (Spoor input)', ...col((r) => mb(r.gen.otlpBytes))],
    ['Trace Event file (speedscope input)', ...col((r) => mb(r.gen.chromeBytes))],
    ['runs (median of) · how loaded', ...col((r) => `${r.spoor.length} · ${r.spoor[0]?.method ?? '–'}`)],
    ['Spoor drop → first waterfall row painted', ...col((r) => fig(r.spoor, (m) => m.firstRowMs, ms, lim(r)))],
    ['Spoor drop → run header counts shown', ...col((r) => fig(r.spoor, (m) => m.panelsMs, ms, lim(r)))],
    ['  of which parse (app log)', ...col((r) => fig(r.spoor, (m) => m.parseMs, ms, lim(r)))],
    ['    of which streamed while reading', ...col((r) => fig(r.spoor, (m) => m.streamMs, ms, lim(r)))],
    ['    of which assembly (one block)', ...col((r) => fig(r.spoor, (m) => m.assembleMs, ms, lim(r)))],
    ['  of which analysis + render (app log)', ...col((r) => fig(r.spoor, (m) => m.analyseRenderMs, ms, lim(r)))],
    ['Spoor longest main-thread block in load', ...col((r) => fig(r.spoor, (m) => m.longestBlockMs, ms, lim(r)))],
    ['  blocks over 100 ms (count)', ...col((r) => fig(r.spoor, (m) => m.blocksOver100, String, lim(r)))],
    ['Spoor JS heap (after GC)', ...col((r) => fig(r.spoor, (m) => m.heapBytes, mb, lim(r)))],
    ['Spoor WASM memory', ...col((r) => fig(r.spoor, (m) => m.wasmBytes, mb, lim(r)))],
    ['Spoor heap + WASM', ...col((r) => fig(r.spoor, mem, mb, lim(r)))],
    ['  ÷ OTLP file size', ...col((r) => fig(r.spoor, (m) => (mem(m) != null ? mem(m) / r.gen.otlpBytes : null), (v) => `${v.toFixed(2)}×`, lim(r)))],
    ['Spoor scroll: fps, median / p95 frame', ...col(frames('scroll'))],
    ['Spoor Ctrl+wheel zoom: fps, median / p95', ...col(frames('zoom'))],
    ['Spoor search typed at once → count shown ¹', ...col((r) => fig(r.spoor, (m) => m.search?.ms, ms, lim(r)))],
    ['  longest main-thread block in search', ...col((r) => fig(r.spoor, (m) => m.search?.longestBlockMs, (v) => (v > 0 ? ms(v) : 'none over 50 ms'), lim(r)))],
    ['Spoor longest block in a click on the run ²', ...col(worstClick)],
    ['speedscope file → flame chart painted', ...col((r) => (opt.speedscope ? fig(r.speedscope, (m) => m.paintMs, ms, opt.timeout) : 'skipped'))],
    ['speedscope JS heap (after GC)', ...col((r) => (opt.speedscope ? fig(r.speedscope, (m) => m.heapBytes, mb, opt.timeout) : 'skipped'))],
    ['Spoor first row ÷ speedscope first paint', ...col(ratio)],
  ];
  const errors = [];
  for (const r of results) {
    for (const m of r.spoor) {
      if (m.error) errors.push(`Spoor ${count(r.size)}: ${m.error}${m.counts ? ` (header: ${m.counts})` : ''}${m.parseMs != null ? `; the app logged parsed in ${ms(m.parseMs)}, analysed and rendered in ${ms(m.analyseRenderMs)}` : ''}`);
    }
    for (const m of r.speedscope) if (m.error) errors.push(`speedscope ${count(r.size)}: ${m.error}`);
    for (const m of r.spoor) if (m.zoom?.warning) errors.push(`Spoor ${count(r.size)}: ${m.zoom.warning}`);
    for (const m of r.spoor) if (m.search?.error) errors.push(`Spoor ${count(r.size)} search: ${m.search.error}`);
    for (const m of r.spoor) if (m.actionError) errors.push(`Spoor ${count(r.size)} click: ${m.actionError}`);
  }
  const bundle = bundleSizes(DIST);
  const bundleRows = [['bundle (dist/)', 'raw', 'gzip -9'], ...bundle.map((b) => [b.file, kb(b.raw), kb(b.gzip)])];
  return [
    `Spoor vs speedscope 1.25.0 — headless Chromium ${version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${new Date().toISOString().slice(0, 16)}Z`,
    `median of N runs (N=${opt.runs}; N=${opt.runsLarge} from ${count(LARGE)} spans), fresh page each run; frames over ${opt.frameMs / 1000} s each`,
    '',
    table(rows),
    `¹ runs of ${count(50_000)} spans or more search once typing pauses for 200 ms; that pause is included.`,
    `² the worst of: opening the Anomalies panel, selecting a span, showing the critical path, opening the Share dialog.`,
    ...(errors.length ? ['', 'problems:', ...errors.map((e) => `  ${e}`)] : []),
    '',
    table(bundleRows),
  ].join('\n');
}

main().catch((e) => {
  console.error(`[bench] failed: ${e.message}`);
  process.exit(1);
});
