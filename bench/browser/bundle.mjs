// Bundle size report: every .wasm, .js and .css in dist/, raw and gzip-compressed (level 9,
// what a static host serves with Content-Encoding: gzip, roughly), with what every visit
// downloads apart from the formats worker, which only some do.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The formats worker's files (every format but OTLP): fetched only when such a file is opened. */
const isWorker = (f) => /formats/.test(f);

/**
 * Rows `{file, raw, gzip}` for dist's wasm/js/css files, largest first, then the totals: what
 * every visit downloads (the first download), and the formats worker, downloaded when a file in
 * a format other than OTLP is opened.
 */
export function bundleSizes(dist) {
  if (!fs.existsSync(dist)) throw new Error(`no ${dist}: build the app first (scripts/build.sh /spoor/)`);
  const size = (buf) => ({ raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length });
  const rows = fs.readdirSync(dist)
    .filter((f) => /\.(wasm|js|css)$/.test(f))
    .map((f) => ({ file: f, ...size(fs.readFileSync(path.join(dist, f))) }))
    .sort((a, b) => b.raw - a.raw);
  const sum = (file, pick) => {
    const r = rows.filter(pick);
    return { file, raw: r.reduce((s, x) => s + x.raw, 0), gzip: r.reduce((s, x) => s + x.gzip, 0) };
  };
  const totals = [
    sum('first download (every visit)', (r) => !isWorker(r.file)),
    sum('formats worker (other formats)', (r) => isWorker(r.file)),
  ];
  // Data fetched only when shown (the demo run, as read ahead of time), outside the totals: a
  // page opened from a link never downloads it.
  const demo = path.join(dist, 'code-review-agent.handoff');
  if (fs.existsSync(demo)) totals.push({ file: 'demo run (when shown)', ...size(fs.readFileSync(demo)) });
  return [...rows, ...totals];
}
