// Minifies wasm-bindgen's JavaScript in a release build (trunk's post_build hook, Trunk.toml).
//
// Why: the page's glue (spoor-web.js) is 54 KB of readable code and JSDoc, 9.4 KB gzip of every
// visit's download; minified by terser it is about 7.1 KB. trunk's own minifier leaves an ES
// module alone. The formats worker's glue is a classic script whose `wasm_bindgen` global
// public/formats-worker.js calls, so its top-level names are kept.
//
// Runs in trunk's staging directory (TRUNK_STAGING_DIR), before the files reach dist/; a debug
// build is left as it is.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify-js: run me as trunk post_build hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') {
  process.exit(0);
}

const files = [
  // [file, is an ES module]
  ['spoor-web.js', true],
  ['spoor-formats.js', false],
];
for (const [name, module] of files) {
  const path = join(dir, name);
  const code = await readFile(path, 'utf8');
  const out = await minify(code, { module, compress: true, mangle: true, format: { comments: false } });
  if (!out.code) {
    console.error(`minify-js: terser gave nothing for ${name}`);
    process.exit(1);
  }
  await writeFile(path, out.code);
  console.log(`minify-js: ${name} ${code.length} -> ${out.code.length} bytes`);
}
