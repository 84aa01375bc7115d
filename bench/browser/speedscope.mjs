// One speedscope measurement: a fresh page, the Trace Event file through speedscope's own file
// input (#file, the one behind "Browse"), then the time until the flame chart is painted.
import { armLoadProbe } from './page-probes.mjs';
import { waitForBench } from './spoor.mjs';

/**
 * Painted = the profile view is mounted (its toolbar shows "Time Order" and the flame chart and
 * its minimap have their canvases, 3 in all with the shared WebGL canvas), plus one frame.
 * Returns `{paintMs, heapBytes, error, timedOut}`.
 */
export async function measureSpeedscope(browser, url, gen, { timeoutMs }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const out = {};
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  try {
    await page.goto(url, { timeout: 60_000 });
    await page.locator('#file').waitFor({ state: 'attached', timeout: 30_000 });
    await page.evaluate(armLoadProbe, {
      marks: [
        { key: 'toolbar', selector: 'body', textIncludes: 'Time Order' },
        { key: 'paint', selector: 'canvas', minCount: 3 },
      ],
      fail: { selector: 'body', textIncludes: 'Something went wrong' },
    });
    await page.locator('#file').setInputFiles(gen.chrome, { timeout: 60_000 });
    const done = await waitForBench(page, (b) => b.t.paint != null && b.t.toolbar != null, timeoutMs, () => crashed);
    if (!done.ok) {
      out.error = crashed ? 'page crashed' : done.why;
      out.timedOut = done.timedOut;
      out.stuck = true;
      return out;
    }
    const b = await page.evaluate(() => window.__bench.t);
    out.paintMs = Math.max(b.paint, b.toolbar);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    out.heapBytes = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    await cdp.detach().catch(() => {});
    return out;
  } catch (e) {
    out.error = crashed ? 'page crashed' : String(e.message || e).split('\n')[0];
    return out;
  } finally {
    const closed = await Promise.race([context.close().then(() => true, () => false), new Promise((r) => setTimeout(() => r(false), 30_000))]);
    if (!closed) out.stuck = true;
  }
}
