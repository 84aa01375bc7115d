// Bundle size report: every .wasm, .js and .css in dist/, raw and gzip-compressed (level 9,
// what a static host serves with Content-Encoding: gzip, roughly).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Rows `{file, raw, gzip}` for dist's wasm/js/css files, largest first, plus a total row. */
export function bundleSizes(dist) {
  if (!fs.existsSync(dist)) throw new Error(`no ${dist}: build the app first (scripts/build.sh /spoor/)`);
  const rows = fs.readdirSync(dist)
    .filter((f) => /\.(wasm|js|css)$/.test(f))
    .map((f) => {
      const buf = fs.readFileSync(path.join(dist, f));
      return { file: f, raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
    })
    .sort((a, b) => b.raw - a.raw);
  rows.push({ file: 'total', raw: rows.reduce((s, r) => s + r.raw, 0), gzip: rows.reduce((s, r) => s + r.gzip, 0) });
  // Data fetched only when shown (the demo run's files), outside the total: a page opened from a
  // link never downloads it.
  const demo = path.join(dist, 'code-review-agent');
  if (fs.existsSync(demo)) {
    const files = fs.readdirSync(demo).map((f) => fs.readFileSync(path.join(demo, f)));
    rows.push({
      file: 'demo run (when shown)',
      raw: files.reduce((s, b) => s + b.length, 0),
      gzip: files.reduce((s, b) => s + zlib.gzipSync(b, { level: 9 }).length, 0),
    });
  }
  return rows;
}
