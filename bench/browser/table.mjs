// Plain-text table formatting: columns padded to their widest cell, numbers right-aligned.

/** `rows` is a list of arrays of strings (the first is the header). */
export function table(rows, { rightAlign = () => true } = {}) {
  const widths = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] || 0, String(c).length); });
  const line = (r) => r.map((c, i) => (i === 0 || !rightAlign(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows.slice(1)) out.push(line(r));
  return out.join('\n');
}

export const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
export const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
/** Thousands separators, as the app writes counts. */
export const count = (n) => n.toLocaleString('en-US');
/** Milliseconds: whole ms below 10 s, else seconds with one decimal. */
export const ms = (v) => (v == null ? '–' : v >= 10000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

export function median(xs) {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function percentile(xs, p) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}
