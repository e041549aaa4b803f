/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The chat page in a real browser against the real server: a message and its streamed reply,
// the look-inside figures of a token checked against `explain` for the same state and store,
// Stop, a ?q= link, the API-key flow, no console errors. Screenshot: GYRO_SCREENSHOT=1 writes
// docs/chat-page.png (the README's picture); otherwise it goes to .cache/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { loadInformationEngine, type InformationEngine } from '@gyro/information';
import { testAssetsDir } from '@gyro/information/testing';
import { OrbitStore, OverlayView, ReadOnlyView } from '@gyro/store';
import { GyroSI } from '@gyro/intelligence';
import { SEP_BYTES, tokenBytes } from '@gyro/tokenizer';
import { cacheDir, repoRoot } from '@gyro/tooling/golden';
import { serveArgs } from '@gyro/tooling/serve-args';
import { learnedStoreDir } from './learned-store.js';
import { hasChromium, launchBrowser, openPage, replyDone } from './browser.js';
import { longTurnPreferences } from './long-turns.js';
import { sum, turnsInFlight, until } from './metrics.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import type { WireTrace } from '../src/worker/protocol.js';

const KEY = 'page-test-key';
let assets = '';
let info: InformationEngine;
let storeDir = '';
let server: ServerProcess;
let keyed: ServerProcess;
let browser: Browser;

const pageTraces = (page: Page) => page.evaluate(() => (window as unknown as { gyroTraces?: WireTrace[][] }).gyroTraces ?? []);

beforeAll(async () => {
  if (!hasChromium) return;
  assets = await testAssetsDir();
  info = loadInformationEngine(assets, { mode: 'stt-free' });
  // Public stores that learned the golden licence texts (real knowledge, so replies have words).
  storeDir = await learnedStoreDir('gyro-page-');
  const keyedDir = await learnedStoreDir('gyro-page-key-');
  const common = serveArgs({ assets, workers: 1, workerNice: 0, engineMode: 'stt-free' });
  [server, keyed] = await Promise.all([
    startServerProcess({ storeDir, args: common }),
    // Long turns (2.5 s, unless max_tokens says fewer) hold the one worker busy for the Stop test.
    startServerProcess({ storeDir: keyedDir, args: [...common, '--api-key', KEY, '--preferences', longTurnPreferences(2500, 10_000_000)] }),
  ]);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), keyed?.stop()]);
});

describe.skipIf(!hasChromium)('the chat page (headless Chromium)', () => {
  it('serves / and its files without a key, small (under 100 KB gzipped)', async () => {
    let total = 0;
    for (const path of ['/', '/ui/app.js', '/ui/app.css']) {
      const res = await fetch(`${keyed.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      total += (await res.arrayBuffer()).byteLength; // fetch decodes; the gzipped size is measured below
    }
    expect(total).toBeGreaterThan(1000);
    const raw = await import('node:http').then(
      (http) =>
        new Promise<number>((resolve, reject) => {
          let sum = 0;
          let left = 3;
          for (const path of ['/', '/ui/app.js', '/ui/app.css']) {
            http
              .get(`${keyed.url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
                expect(res.headers['content-encoding']).toBe('gzip');
                res.on('data', (d: Buffer) => (sum += d.length));
                res.on('end', () => --left === 0 && resolve(sum));
              })
              .on('error', reject);
          }
        }),
    );
    expect(raw).toBeLessThan(100 * 1024);
    expect((await fetch(`${keyed.url}/v1/models`)).status).toBe(401);
  });

  it('sends with Enter, streams the reply, and shows each token inside: the figures explain gives for the same state', async () => {
    const errors: string[] = [];
    const page = await openPage(browser, errors);
    await page.goto(`${server.url}/`);
    await page.click('summary');
    await page.type('#seed', '7');
    await page.type('#max-tokens', '12');
    await page.focus('#input');
    await page.keyboard.type('may i copy');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Enter'); // Shift+Enter breaks the line, does not send
    await page.keyboard.up('Shift');
    await page.keyboard.type('the software?');
    expect(await page.$eval('#input', (e) => (e as HTMLTextAreaElement).value)).toBe('may i copy\nthe software?');
    expect(await page.$$('[data-role="user"]')).toHaveLength(0);
    await page.keyboard.press('Enter');
    await replyDone(page, 1);
    const question = 'may i copy\nthe software?';
    expect(await page.$eval('[data-role="user"]', (e) => e.textContent)).toBe(question);
    const reply = await page.$eval('[data-role="assistant"]', (e) => e.textContent ?? '');
    expect(reply.trim().length).toBeGreaterThan(0);
    const traces = (await pageTraces(page))[0]!;
    // At most the 12 of the max-tokens setting (the stop policy may end it sooner).
    expect(traces.length).toBeGreaterThanOrEqual(2);
    expect(traces.length).toBeLessThanOrEqual(12);
    expect(await page.$$eval('svg[data-chart="theta"] circle', (c) => c.length)).toBe(traces.length);

    // Reproduce the assistant's store at every decision: the public store under a fresh private
    // one, the prompt learned as the turn learns it, then each chosen token fed back in turn.
    const agentDir = mkdtempSync(join(tmpdir(), 'gyro-page-explain-'));
    const pub = OrbitStore.open(join(storeDir, 'knowledge.bin'), { readOnly: true });
    const priv = OrbitStore.open(join(agentDir, 'knowledge.bin'));
    const agent = new GyroSI(info, new OverlayView(new ReadOnlyView(pub), priv), { ownedStores: [priv] });
    agent.ingest(Uint8Array.from([...agent.encode(question), ...SEP_BYTES]));
    const pick = Math.min(4, traces.length - 1);
    for (let i = 0; i < traces.length; i++) {
      const t = traces[i]!;
      expect(agent.engine.stateIndex).toBe(t.stateIndex);
      if (i === pick) {
        // Click the token in the reply and read what the page shows.
        await page.click(`[data-role="assistant"] .tok[data-index="${pick}"]`);
        await page.waitForSelector('.details [data-field="stateIndex"]');
        const shown = await page.$$eval('.details dd[data-field]', (dds) => Object.fromEntries(dds.map((d) => [d.getAttribute('data-field'), d.textContent])));
        const e = agent.engine.explain(t.stateIndex);
        expect(shown.stateIndex).toBe(String(e.stateIndex));
        expect(shown.rep).toBe(String(e.rep));
        expect(shown.orbitSize).toBe(String(e.orbitSize));
        expect(shown.theta).toBe(`${e.theta.toFixed(4)} rad`);
        const rows = await page.$$eval('.details table.candidates tbody tr', (trs) =>
          trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) => [td.getAttribute('data-field'), td.textContent]))),
        );
        expect(rows.length).toBe(t.candidates.length);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          const c = e.candidates.find((x) => String(x.token) === row.token)!;
          expect(c, `candidate ${row.token} is one explain lists`).toBeDefined();
          // Formatted as `gyro explain` prints them.
          expect(row).toMatchObject({
            conf: c.conf.toFixed(4),
            exonProduct: String(c.exonProduct),
            resonance: c.resonance.toFixed(6),
            orbitFactor: c.orbitFactor.toFixed(6),
            uniqueness: c.uniqueness.toFixed(6),
            score: c.score.toFixed(6),
          });
        }
        if (t.complete) expect(rows.slice(0, 5).map((r) => r.score)).toEqual(e.candidates.slice(0, 5).map((c) => c.score.toFixed(6)));
        expect(await page.$$eval('svg[data-chart="candidates"] rect', (r) => r.length)).toBe(rows.length);
        expect(await page.$eval(`.tok[data-index="${pick}"]`, (e) => e.classList.contains('on'))).toBe(true);
      }
      agent.engine.processEgressBulk(tokenBytes(t.token));
    }
    agent.close();
    pub.close();
    await page.screenshot({ path: screenshotPath() });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a ?q= link fills the box and sends once; a new conversation starts empty', async () => {
    const errors: string[] = [];
    const page = await openPage(browser, errors, { width: 390, height: 844 }); // a phone
    await page.goto(`${server.url}/?q=${encodeURIComponent('what is a licence')}`);
    await replyDone(page, 1);
    expect(await page.$eval('[data-role="user"]', (e) => e.textContent)).toBe('what is a licence');
    expect((await page.$eval('[data-role="assistant"]', (e) => e.textContent ?? '')).trim().split(/\s+/).length).toBeGreaterThanOrEqual(1);
    expect(await page.$('svg[data-chart="theta"]')).not.toBeNull();
    expect(new URL(page.url()).search).toBe(''); // a reload does not send it again
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    expect(paint).toBeGreaterThan(0);
    console.log(`first contentful paint (phone viewport, local server): ${paint.toFixed(0)} ms`);
    await page.click('#new');
    expect(await page.$$('[data-role]')).toHaveLength(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks for the API key the server needs, keeps it in local storage, answers with it, reports a wrong one; Stop aborts a waiting reply', async () => {
    const errors: string[] = [];
    const page = await openPage(browser, errors);
    await page.goto(`${keyed.url}/`);
    // The page knows the server needs a key: it asks before sending anything.
    expect(await page.$eval('#settings', (d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.$eval('#key-note', (e) => e.textContent)).toMatch(/needs an API key/);
    await page.type('#max-tokens', '6');
    await page.type('#input', 'hello there');
    await page.keyboard.press('Enter');
    expect(await page.$$('[data-role]')).toHaveLength(0); // not sent without a key
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    // A wrong key: the server's 401 is shown (and Chromium logs the failed load, once).
    await page.type('#api-key', 'not-the-key');
    await page.focus('#input');
    await page.keyboard.press('Enter');
    await replyDone(page, 1);
    expect(await page.$eval('.turn.assistant .status', (e) => e.textContent)).toMatch(/refused the API key/);
    await page.$eval('#api-key', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('#api-key', KEY);
    await page.$eval('#api-key', (e) => e.dispatchEvent(new Event('change')));
    expect(await page.evaluate(() => localStorage.getItem('gyro.apiKey'))).toBe(KEY);
    await page.type('#input', 'hello there');
    await page.keyboard.press('Enter');
    await replyDone(page, 2);
    const answered = await page.$$eval('[data-role="assistant"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(answered[1]!.trim().length).toBeGreaterThan(0);
    expect((await pageTraces(page))[1]!.length).toBeGreaterThan(0);
    expect((await pageTraces(page))[1]!.length).toBeLessThanOrEqual(6);

    // Stop: a long turn of another conversation holds the one worker, the page's request waits.
    const long = fetch(`${keyed.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'gyrosi-baby', user: 'someone-else', messages: [{ role: 'user', content: 'talk for a while' }] }),
    });
    const auth = { authorization: `Bearer ${KEY}` };
    await until(
      () => turnsInFlight(keyed.url, auth),
      (w) => sum(w) === 1,
    ); // the long turn holds the worker
    await page.type('#input', 'are you there?');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.classList.contains('busy'));
    expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await page.click('#stop');
    await replyDone(page, 3);
    expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await page.$eval('.turn.assistant:last-child .status', (e) => e.textContent)).toBe('stopped');
    expect((await long).status).toBe(200);
    // The server is done with the page's turn (cancelled, or never sent): nothing arrives after Stop.
    expect(
      await until(
        () => turnsInFlight(keyed.url, auth),
        (w) => sum(w) === 0,
      ),
    ).toEqual([0]);
    expect(await page.$$eval('[data-role="assistant"]', (els) => els[2]!.textContent)).toBe('');
    expect((await pageTraces(page))[2] ?? []).toEqual([]);

    // The key survives a reload (local storage).
    await page.reload();
    expect(await page.$eval('#api-key', (e) => (e as HTMLInputElement).value)).toBe(KEY);
    expect(await page.$eval('#settings', (d) => (d as HTMLDetailsElement).open)).toBe(false); // a key is there: no need to ask
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(errors.filter((e) => /status of 401/.test(e))).toHaveLength(1); // the wrong key's request
    await page.close();
  });
});

function screenshotPath(): string {
  const dir = process.env.GYRO_SCREENSHOT === '1' ? join(repoRoot, 'docs') : join(cacheDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, 'chat-page.png');
}
