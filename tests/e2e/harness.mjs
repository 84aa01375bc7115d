// Shared end-to-end harness: serves dist/ under /spoor/ on 127.0.0.1 exactly as GitHub Pages
// serves a project site, launches Debian's Chromium headless through playwright-core, records
// every request (none may leave 127.0.0.1) and every console error.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const FIXTURES = path.resolve(ROOT, '../shared/fixtures');
export const OUT = path.join(ROOT, 'tests/e2e/output');
export const BASE = '/spoor/';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain',
};

/** A static server for `dir` mounted at `/spoor/`, like GitHub Pages (`/spoor` redirects). */
export function serve(dir = DIST, mount = BASE) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === mount.replace(/\/$/, '')) {
      res.writeHead(301, { Location: mount });
      return res.end();
    }
    if (!url.pathname.startsWith(mount)) {
      res.writeHead(404);
      return res.end('not found');
    }
    let rel = decodeURIComponent(url.pathname.slice(mount.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, url: `http://127.0.0.1:${port}${mount}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Launches Debian Chromium headless; never downloads a browser. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records requests and console errors; `assertClean()` checks both. */
/** `routes`: `[pattern, handler]` pairs installed before the page loads (to fail a request). */
/** `init`: a function run in the page before its own scripts (to take a browser API away). */
export async function openPage(browser, url, { viewport = { width: 1280, height: 720 }, colorScheme = 'light', routes = [], init } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  for (const [pattern, handler] of routes) await context.route(pattern, handler);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  const dialogs = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); if (process.env.SPOOR_CONSOLE) console.log('[page]', m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(url);
  const foreign = () => requests.filter((u) => {
    const { protocol, hostname } = new URL(u);
    return !(protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1');
  });
  return { context, page, requests, errors, dialogs, foreign };
}

export function fixture(...parts) {
  return path.join(FIXTURES, ...parts);
}

export function outFile(name) {
  fs.mkdirSync(OUT, { recursive: true });
  return path.join(OUT, name);
}
