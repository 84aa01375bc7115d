// Code that runs inside the page (passed to page.evaluate / addInitScript): timing marks taken
// with the page's own clock, so Playwright's round trips never count in a figure.

/**
 * Init script: remembers every WebAssembly.Memory the page instantiates, so WASM memory can be
 * read even from an app that publishes nothing.
 */
export function captureWasmMemory() {
  window.__benchMemories = [];
  const keep = (result) => {
    const inst = result && (result.instance || result);
    const exp = inst && inst.exports;
    if (exp) for (const v of Object.values(exp)) if (v instanceof WebAssembly.Memory) window.__benchMemories.push(v);
    return result;
  };
  const wrap = (name) => {
    const orig = WebAssembly[name];
    if (orig) WebAssembly[name] = function (...args) { return orig.apply(this, args).then(keep); };
  };
  wrap('instantiateStreaming');
  wrap('instantiate');
}

/**
 * Arms the load probe: `t0` is the first `drop` or `change` event (capture phase, before the
 * app sees it). Each mark `{key, selector, textPrefix?, textIncludes?, minCount?}` is checked on
 * every DOM mutation (data, not code: the app's CSP forbids eval); when it first holds, the time
 * after the next frame is painted (rAF, then a task) is stored in `__bench.t[key]`. `fail`, a
 * mark of the same shape, stores the matching element's text in `__bench.failed`.
 */
export function armLoadProbe({ marks, fail }) {
  const b = (window.__bench = { t: {}, failed: null, blocks: [] });
  const t0 = () => { if (b.t0 == null) b.t0 = performance.now(); };
  // Main-thread blocks over 50 ms (Long Tasks API), kept as [start after t0, duration]: how long
  // the page could not answer a click or paint while the file loaded. Only tasks that start after
  // the drop count: the task that dispatches it is the test driver building the File (seconds
  // for a 45 MB buffer), and the app's drop handler only starts an asynchronous read.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (b.t0 != null && e.startTime >= b.t0) b.blocks.push([e.startTime - b.t0, e.duration]);
      }
    }).observe({ type: 'longtask' });
  } catch (_) { b.blocks = null; }
  window.addEventListener('drop', t0, true);
  document.addEventListener('change', t0, true);
  const holds = (m) => {
    const els = document.querySelectorAll(m.selector);
    if (els.length < (m.minCount || 1)) return null;
    const el = els[0];
    const r = el.getBoundingClientRect();
    if (m.visible && !(r.width > 0 && r.height > 0)) return null;
    const text = m.textPrefix != null || m.textIncludes != null ? el.textContent || '' : '';
    if (m.textPrefix != null && !text.startsWith(m.textPrefix)) return null;
    if (m.textIncludes != null && !text.includes(m.textIncludes)) return null;
    return el;
  };
  const afterPaint = (key) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { b.t[key] = performance.now() - b.t0; };
    ch.port2.postMessage(0);
  });
  const seen = new Set();
  const check = () => {
    if (b.t0 == null) return;
    for (const m of marks) {
      if (!seen.has(m.key) && holds(m)) { seen.add(m.key); afterPaint(m.key); }
    }
    if (fail && b.failed == null) {
      const el = holds(fail);
      if (el) b.failed = (el.textContent || 'failed').trim().slice(0, 200);
    }
  };
  b.observer = new MutationObserver(check);
  b.observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
}

/**
 * Drives `el` (a selector) once per animation frame for `ms` milliseconds and returns the
 * frame deltas (rAF timestamps). `mode` 'scroll' steps scrollTop by `step` px per frame
 * (wrapping at the end); 'zoom' dispatches Ctrl+wheel events over the bar area, zooming in for
 * the first half and out for the second.
 */
export function driveFrames({ selector, mode, ms, step }) {
  const el = document.querySelector(selector);
  if (!el) return Promise.resolve({ error: `no ${selector}` });
  const rect = el.getBoundingClientRect();
  const x = rect.left + rect.width * 0.7;
  const y = rect.top + Math.min(rect.height / 2, 200);
  const deltas = [];
  let events = 0;
  return new Promise((resolve) => {
    requestAnimationFrame((start) => {
      let last = start;
      const frame = (t) => {
        deltas.push(t - last);
        last = t;
        if (mode === 'scroll') {
          if (el.scrollTop + el.clientHeight + step >= el.scrollHeight) el.scrollTop = 0;
          else el.scrollTop += step;
        } else {
          const zoomIn = t - start < ms / 2;
          el.dispatchEvent(new WheelEvent('wheel', {
            bubbles: true, cancelable: true, ctrlKey: true, deltaY: zoomIn ? -step : step,
            clientX: x, clientY: y, deltaMode: 0,
          }));
        }
        events++;
        if (t - start < ms) requestAnimationFrame(frame);
        else resolve({ deltas, events, scrollTop: el.scrollTop });
      };
      requestAnimationFrame(frame);
    });
  });
}

/**
 * Puts `text` in the waterfall's search box at once (as a paste does) and resolves, once the
 * match count shows a count and that frame is painted, with the time taken, the count shown and
 * the durations of the main-thread blocks over 50 ms meanwhile: whether the page stayed
 * responsive while a big run was searched.
 */
export function searchProbe({ text, timeoutMs }) {
  return new Promise((resolve) => {
    const blocks = [];
    let longTasks = null;
    try {
      longTasks = new PerformanceObserver((l) => { for (const e of l.getEntries()) blocks.push(e.duration); });
      longTasks.observe({ type: 'longtask' });
    } catch (_) { /* no Long Tasks API: blocks stay empty */ }
    const t0 = performance.now();
    let timer = null;
    const finish = (out) => {
      watch.disconnect();
      clearTimeout(timer);
      // Long tasks reach the observer when they end: give the last one a moment to arrive.
      setTimeout(() => { longTasks?.disconnect(); resolve({ ...out, blocks }); }, 200);
    };
    const watch = new MutationObserver(() => {
      const m = /^([\d,]+) matches$/.exec(document.querySelector('[data-testid=match-count]')?.textContent || '');
      if (!m) return;
      watch.disconnect();
      requestAnimationFrame(() => setTimeout(() => finish({ ms: performance.now() - t0, matches: m[1] }), 0));
    });
    watch.observe(document.querySelector('.toolbar'), { subtree: true, childList: true, characterData: true });
    timer = setTimeout(() => finish({ error: `no match count within ${timeoutMs} ms` }), timeoutMs);
    const input = document.getElementById('search');
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
