// Fails when the page's module links code the 400 KB download budget cannot pay for and that
// the project replaced with smaller code of its own (docs/CONTRIBUTING.md, "The page's download").
// One stray `format!("{:.2}", x)` brings back all of core's float printing (~7 KB gzip), one
// `.parse::<f64>()` its 10 KB table of powers of five: no other test would notice.
//
// Reads the function names of the module as wasm-bindgen wrote it, before wasm-opt strips them
// (target/wasm-bindgen/release/spoor-web_bg.wasm, left by the release build), and prints the
// gzip size of what every visit downloads.
//
//   node scripts/check-bundle.mjs [WASM] [DIST]

import { readFileSync } from 'node:fs';
import { bundleSizes } from '../bench/browser/bundle.mjs';

const wasm = process.argv[2] ?? 'target/wasm-bindgen/release/spoor-web_bg.wasm';
const dist = process.argv[3] ?? 'dist';

/** What must not be in the page, and what to use instead. */
const FORBIDDEN = [
  ['flt2dec', 'core float printing ({} or {:.N} of an f64): num::Fixed / num::Plain'],
  ['dec2flt', 'core float parsing (str::parse::<f64>): num::parse_f64'],
  ['to_lowercase', 'Unicode lower-casing: view::fold::fold (or to_ascii_lowercase)'],
  ['sip::Hasher', 'std HashMap/HashSet: fasthash::FastMap / FastSet'],
  ['slice::sort::stable', 'a std stable sort: crate::sorting'],
  ['libm_math::pow', 'f64::powf: a loop, or js_sys::Math'],
  ['miniz_oxide::deflate', 'miniz compression: share links use the browser (ui/deflate.rs)'],
  ['console_error_panic_hook', 'the panic hook in ui/mod.rs'],
];

function leb(b, i) {
  let r = 0, s = 0, x;
  do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return [r, i];
}

/** Every function name in the module's `name` section. */
function functionNames(bytes) {
  const names = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++];
    let size;
    [size, i] = leb(bytes, i);
    const end = i + size;
    if (id === 0) {
      let len, j;
      [len, j] = leb(bytes, i);
      if (new TextDecoder().decode(bytes.subarray(j, j + len)) === 'name') {
        j += len;
        while (j < end) {
          const sub = bytes[j++];
          let subSize;
          [subSize, j] = leb(bytes, j);
          if (sub === 1) {
            let n, k = j;
            [n, k] = leb(bytes, k);
            for (let f = 0; f < n; f++) {
              let idx, l;
              [idx, k] = leb(bytes, k);
              [l, k] = leb(bytes, k);
              names.push(new TextDecoder().decode(bytes.subarray(k, k + l)));
              k += l;
            }
          }
          j += subSize;
        }
      }
    }
    i = end;
  }
  return names;
}

const names = functionNames(readFileSync(wasm));
if (names.length === 0) {
  console.error(`check-bundle: ${wasm} has no function names; build with scripts/build.sh first`);
  process.exit(1);
}
const found = FORBIDDEN.filter(([needle]) => names.some((n) => n.includes(needle)));
const first = bundleSizes(dist).find((r) => r.file.startsWith('first download'));
console.log(`check-bundle: ${names.length} functions; first download ${first.gzip} bytes gzip`);
for (const [needle, instead] of found) {
  const where = names.filter((n) => n.includes(needle)).slice(0, 3).join('\n      ');
  console.error(`check-bundle: the page links ${needle} (${instead}):\n      ${where}`);
}
process.exit(found.length ? 1 : 0);
