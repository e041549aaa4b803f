// The chat page's budget: shipped files gzipped (goal < 100 KB) and first paint from a local
// server (goal < 300 ms), measured in Debian's headless Chromium with the Performance API over
// 20 cold loads (a fresh browser context each: nothing cached). Build first (`pnpm build`).
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { testAssetsDir } from '@gyro/information/testing';
import { report } from '@gyro/tooling/bench';
import { serveArgs } from '@gyro/tooling/serve-args';
import { launchBrowser } from '../test/browser.js';
import { pageSizeGzipped } from '../src/routes/page.js';
import { startServerProcess } from '../test/server-process.js';

const LOADS = 20;
const server = await startServerProcess({ args: serveArgs({ assets: await testAssetsDir(), workers: 1, engineMode: 'stt-free' }) });
const url = server.url;
const browser = await launchBrowser();
const paints: number[] = [];
const loaded: number[] = [];
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'load' });
    // The paint entry is recorded when the frame is presented, which may follow the load event.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, { timeout: 10_000 });
    const t = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
    }));
    paints.push(t.fcp);
    loaded.push(t.load);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(server.storeDir, { recursive: true, force: true });
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const size = pageSizeGzipped();
report('@gyro/adapter page', [
  {
    id: 'size',
    figure: 'chat page files (index.html, app.js, app.css), gzipped',
    value: `${(size / 1024).toFixed(1)} KB`,
    goal: '< 100 KB',
    pass: size < 100 * 1024,
  },
  {
    id: 'first-paint',
    figure: `first contentful paint from a local server, median / p90 of ${LOADS} cold loads (headless Chromium)`,
    value: `${at(paints, 0.5).toFixed(0)} ms / ${at(paints, 0.9).toFixed(0)} ms`,
    goal: '< 300 ms (median)',
    pass: at(paints, 0.5) < 300,
  },
  { id: 'load-event', figure: 'load event end, median', value: `${at(loaded, 0.5).toFixed(0)} ms` },
  { id: 'load-average', figure: 'machine load while measuring (1-minute load average; other jobs share the cores)', value: loadavg()[0]!.toFixed(2) },
]);
