/// <reference lib="dom" />
// Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) driven by
// puppeteer-core, for the chat page's tests. Every console error and page error is collected.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.GYRO_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A new tab that records console errors and uncaught page errors in `errors`. */
export async function openPage(browser: Browser, errors: string[], viewport = { width: 1100, height: 900 }): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  return page;
}

/** Wait until the page finished the reply it is working on (the Send button is enabled again). */
export async function replyDone(page: Page, count: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-role="assistant"]').length >= n && !document.body.classList.contains('busy'),
    { timeout },
    count,
  );
}
