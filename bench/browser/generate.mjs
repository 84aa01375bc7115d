// Deterministic synthetic agent runs for the browser benchmark, written as OTLP JSON (for Spoor)
// and as Chrome trace-event JSON (the same spans, for speedscope). No dependencies; files are
// stream-written so a million spans never sit in memory as one string.
//
// Shape of one run (one trace): an `invoke_agent` root → `iteration N` spans → per iteration one
// `chat <model>` LLM span (gen_ai.operation.name=chat, request model, input/output tokens) and
// 0–3 `execute_tool <tool>` spans (tool name, JSON call arguments). About 1 % of LLM calls and
// 4 % of tool calls fail (status code 2, with a message); an iteration with a failed child fails too.
//
// CLI: node bench/browser/generate.mjs 10000 [outDir]   → prints the two file paths.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the output changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 1;
/** Where generated traces live: outside the repository, reused across runs. */
export const BENCH_TMP = path.join(os.tmpdir(), 'spoor-bench');

/** mulberry32: tiny, fast, deterministic 32-bit PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'gemini-2.5-pro'];
const TOOLS = [
  ['read_file', (r) => `{"path":"src/module_${Math.floor(r() * 500)}.py"}`],
  ['run_tests', (r) => `{"target":"tests/test_${Math.floor(r() * 80)}.py","verbose":${r() < 0.5}}`],
  ['search_code', (r) => `{"query":"def handler_${Math.floor(r() * 1000)}","limit":20}`],
  ['write_file', (r) => `{"path":"src/module_${Math.floor(r() * 500)}.py","bytes":${Math.floor(r() * 8000)}}`],
  ['http_get', (r) => `{"url":"http://127.0.0.1/api/item/${Math.floor(r() * 10000)}"}`],
];
const TOOL_ERRORS = ['timeout after 30s', 'file not found', 'exit status 1: 3 tests failed', 'HTTP 503'];

const hex = (n, width) => n.toString(16).padStart(width, '0');
/** Base time of every run: 2023-11-14T22:13:20Z, in µs (exact as a double). */
const BASE_US = 1_700_000_000_000_000;

/**
 * Produces exactly `total` spans of one run, calling `emit(span)` for each in export order
 * (children before their parent, as batch exporters write them). Times are integer µs.
 */
export function spans(total, emit, seed = 42) {
  const r = prng(seed ^ total);
  const traceId = hex(Math.floor(r() * 2 ** 32), 8) + hex(Math.floor(r() * 2 ** 32), 8) + hex(total, 16);
  let next = 0;
  const newId = () => hex(Math.floor(r() * 2 ** 32), 8) + hex(++next, 8);
  const rootId = newId();
  let t = BASE_US;
  let made = 1; // the root
  let iter = 0;
  while (made < total) {
    iter++;
    const itId = newId();
    const itStart = t;
    t += 200 + Math.floor(r() * 800);
    const children = [];
    const room = total - made - 1; // spans left after this iteration span
    const model = MODELS[Math.floor(r() * MODELS.length)];
    if (room > 0) {
      const start = t;
      t += 300_000 + Math.floor(r() * 3_700_000);
      const err = r() < 0.01;
      children.push({
        traceId, spanId: newId(), parentSpanId: itId, name: `chat ${model}`, kind: 3,
        start, end: t, cat: 'llm',
        attrs: [['gen_ai.operation.name', 's', 'chat'], ['gen_ai.system', 's', model.split('-')[0]],
          ['gen_ai.request.model', 's', model],
          ['gen_ai.usage.input_tokens', 'i', 500 + Math.floor(r() * 12000)],
          ['gen_ai.usage.output_tokens', 'i', 20 + Math.floor(r() * 1500)]],
        error: err ? 'rate limited: 429 Too Many Requests' : null,
      });
      t += 100 + Math.floor(r() * 400);
    }
    const nTools = Math.min(Math.floor(r() * 4), Math.max(0, room - children.length));
    for (let k = 0; k < nTools; k++) {
      const [tool, args] = TOOLS[Math.floor(r() * TOOLS.length)];
      const start = t;
      t += 5_000 + Math.floor(r() * (tool === 'run_tests' ? 20_000_000 : 1_500_000));
      const err = r() < 0.04;
      children.push({
        traceId, spanId: newId(), parentSpanId: itId, name: `execute_tool ${tool}`, kind: 1,
        start, end: t, cat: 'tool',
        attrs: [['gen_ai.operation.name', 's', 'execute_tool'], ['gen_ai.tool.name', 's', tool],
          ['gen_ai.tool.call.arguments', 's', args(r)]],
        error: err ? TOOL_ERRORS[Math.floor(r() * TOOL_ERRORS.length)] : null,
      });
      t += 50 + Math.floor(r() * 300);
    }
    t += 100 + Math.floor(r() * 500);
    for (const c of children) emit(c);
    const failed = children.some((c) => c.error);
    emit({
      traceId, spanId: itId, parentSpanId: rootId, name: `iteration ${iter}`, kind: 1,
      start: itStart, end: t, cat: 'iteration',
      attrs: [['agent.iteration', 'i', iter]],
      error: failed ? 'a step in this iteration failed' : null,
    });
    made += 1 + children.length;
    t += 100 + Math.floor(r() * 300);
  }
  emit({
    traceId, spanId: rootId, parentSpanId: null, name: 'invoke_agent bench-agent', kind: 1,
    start: BASE_US, end: t + 1000, cat: 'agent',
    attrs: [['gen_ai.operation.name', 's', 'invoke_agent'], ['gen_ai.agent.name', 's', 'bench-agent'],
      ['gen_ai.conversation.id', 's', `bench-${total}`]],
    error: null,
  });
}

const ns = (us) => `${us}000`; // µs integer → decimal string of unix nanos
const attrJson = ([k, type, v]) => type === 'i'
  ? `{"key":"${k}","value":{"intValue":"${v}"}}`
  : `{"key":"${k}","value":{"stringValue":${JSON.stringify(v)}}}`;

function otlpSpan(s) {
  return `{"traceId":"${s.traceId}","spanId":"${s.spanId}"${s.parentSpanId ? `,"parentSpanId":"${s.parentSpanId}"` : ''},`
    + `"name":${JSON.stringify(s.name)},"kind":${s.kind},"startTimeUnixNano":"${ns(s.start)}","endTimeUnixNano":"${ns(s.end)}",`
    + `"attributes":[${s.attrs.map(attrJson).join(',')}],`
    + `"status":${s.error ? `{"code":2,"message":${JSON.stringify(s.error)}}` : '{}'}}`;
}

/** The same span as Jaeger JSON (times in µs, the error as Jaeger's `error` tag). */
function jaegerSpan(s) {
  const tag = ([k, type, v]) => type === 'i'
    ? `{"key":"${k}","type":"int64","value":${v}}`
    : `{"key":"${k}","type":"string","value":${JSON.stringify(v)}}`;
  const tags = s.attrs.map(tag);
  if (s.error) tags.push('{"key":"error","type":"bool","value":true}');
  const refs = s.parentSpanId ? `{"refType":"CHILD_OF","traceID":"${s.traceId}","spanID":"${s.parentSpanId}"}` : '';
  return `{"traceID":"${s.traceId}","spanID":"${s.spanId}","operationName":${JSON.stringify(s.name)},`
    + `"references":[${refs}],"startTime":${s.start},"duration":${s.end - s.start},"tags":[${tags.join(',')}],`
    + '"logs":[],"processID":"p1"}';
}

/**
 * Writes `<dir>/agent-<total>.jaeger.json` unless it exists (same generator version): the same
 * spans as the OTLP file, as one Jaeger trace, for the formats worker's path. Returns its path.
 */
export function generateJaeger(total, dir = BENCH_TMP) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `agent-${total}.v${GENERATOR_VERSION}.jaeger.json`);
  if (!fs.existsSync(file)) {
    const w = writer(`${file}.part`);
    let first = true;
    let traceId = '';
    spans(total, (s) => {
      if (first) {
        traceId = s.traceId;
        w.write(`{"data":[{"traceID":"${traceId}","spans":[\n`);
      }
      w.write((first ? '' : ',\n') + jaegerSpan(s));
      first = false;
    });
    w.write('\n],"processes":{"p1":{"serviceName":"bench-agent","tags":[]}}}]}\n');
    w.close();
    fs.renameSync(`${file}.part`, file);
  }
  return file;
}

function chromeEvent(s) {
  return `{"name":${JSON.stringify(s.name)},"cat":"${s.cat}","ph":"X","ts":${s.start - BASE_US},"dur":${s.end - s.start},"pid":1,"tid":1}`;
}

/** Buffered synchronous writer: collects text and writes ~1 MB at a time. */
function writer(file) {
  const fd = fs.openSync(file, 'w');
  let parts = [];
  let size = 0;
  const flush = () => { if (parts.length) fs.writeSync(fd, parts.join('')); parts = []; size = 0; };
  return {
    write(s) { parts.push(s); size += s.length; if (size > 1 << 20) flush(); },
    close() { flush(); fs.closeSync(fd); },
  };
}

/**
 * Writes `<dir>/agent-<total>.otlp.json` and `<dir>/agent-<total>.trace-events.json` (not `.chrome.json`: speedscope reads that suffix as a Chrome CPU profile) unless they exist
 * already (same generator version), and returns their paths and byte sizes.
 */
export function generate(total, dir = BENCH_TMP) {
  fs.mkdirSync(dir, { recursive: true });
  const otlp = path.join(dir, `agent-${total}.v${GENERATOR_VERSION}.otlp.json`);
  const chrome = path.join(dir, `agent-${total}.v${GENERATOR_VERSION}.trace-events.json`);
  if (!fs.existsSync(otlp) || !fs.existsSync(chrome)) {
    const o = writer(`${otlp}.part`);
    const c = writer(`${chrome}.part`);
    o.write('{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bench-agent"}}]},'
      + '"scopeSpans":[{"scope":{"name":"spoor-bench-generator","version":"1"},"spans":[\n');
    c.write('{"traceEvents":[\n');
    let first = true;
    spans(total, (s) => {
      const sep = first ? '' : ',\n';
      first = false;
      o.write(sep + otlpSpan(s));
      c.write(sep + chromeEvent(s));
    });
    o.write('\n]}]}]}\n');
    c.write('\n],"displayTimeUnit":"ms"}\n');
    o.close();
    c.close();
    fs.renameSync(`${otlp}.part`, otlp);
    fs.renameSync(`${chrome}.part`, chrome);
  }
  return { total, otlp, chrome, otlpBytes: fs.statSync(otlp).size, chromeBytes: fs.statSync(chrome).size };
}

/** What the run header should say about this run, counted from the generator itself. */
export function expectedCounts(total, seed = 42) {
  let llm = 0, tools = 0, errors = 0, n = 0;
  spans(total, (s) => {
    n++;
    if (s.cat === 'llm') llm++;
    if (s.cat === 'tool') tools++;
    if (s.error) errors++;
  }, seed);
  return { spans: n, llm, tools, errors };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const total = Number(process.argv[2] || 10000);
  const t0 = Date.now();
  const g = generate(total, process.argv[3] || BENCH_TMP);
  console.log(JSON.stringify({ ...g, counts: expectedCounts(total), ms: Date.now() - t0 }, null, 1));
}
