// The acceptance check, exactly: headless Chromium (Debian's) dumps the DOM of the chat
// page served by `gyro serve` after `?q=what is a dog`, with a 15 s virtual-time budget.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serveArgs } from '@gyro/tooling/serve-args';
import { cliSuite, serveUntilListening } from '../../test/fixture.js';

const CHROMIUM = process.env.GYRO_CHROMIUM ?? '/usr/bin/chromium';
const fx = cliSuite('gyro-cli-serve-page-');

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe.skipIf(!existsSync(CHROMIUM))('the chat page of gyro serve in headless Chromium (--dump-dom)', () => {
  it('answers ?q=what is a dog: the question, a reply of at least three words, and its θ chart', async () => {
    // A fresh store: gyro serve learns (the first 3000 glosses of) the WordNet starter corpus first.
    const server = await serveUntilListening([
      'serve',
      ...serveArgs({ port: 0, assets: fx.assets, store: fx.path('knowledge.bin'), workers: 1, engineMode: 'stt-free', logLevel: 'silent' }),
      ...['--starter-limit', '3000', '--quiet'],
    ]);
    try {
      const { stdout } = await promisify(execFile)(
        CHROMIUM,
        ['--headless', '--no-sandbox', '--virtual-time-budget=15000', '--dump-dom', `${server.url}/?q=what is a dog`],
        { maxBuffer: 16 << 20, timeout: 90_000 },
      );
      const user = [...stdout.matchAll(/<div class="msg" data-role="user">(.*?)<\/div>/gs)].map((m) => text(m[1]!));
      const assistant = [...stdout.matchAll(/<div class="msg" data-role="assistant">(.*?)<\/div>/gs)].map((m) => text(m[1]!));
      expect(user).toEqual(['what is a dog']);
      expect(assistant).toHaveLength(1);
      const words = assistant[0]!.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
      expect(words.length, `reply: "${assistant[0]}"`).toBeGreaterThanOrEqual(3);
      expect(stdout).toMatch(/<svg[^>]*data-chart="theta"/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);
});
