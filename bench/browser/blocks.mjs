// What the action tools share (clicks.mjs, actions.mjs): a page of the release build with the
// demo cleared, recording the main thread's long tasks (Long Tasks API, tasks over 50 ms) in
// `window.__blocks` as [start, duration], so each action's longest block can be read after it.

/** Opens `url` in `page`, waits for the demo, clears it and starts recording blocks. */
export async function openEmpty(page, url) {
  await page.goto(url);
  await page.getByTestId('run-header').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await page.getByTestId('empty').waitFor();
  await page.evaluate(() => {
    window.__blocks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__blocks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask' });
  });
}
