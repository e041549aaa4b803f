// A full disk under the agents folder: turns fail with 507 insufficient_storage (not 500), /ready
// turns 503 naming the cause and recovers by itself when space comes back, and what was
// acknowledged stays on disk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OrbitStore } from '@gyro/store';
import { startServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

/** A 1 MiB tmpfs, or undefined where mounting is not permitted (not root, no tmpfs). */
function smallDisk(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'gyro-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return undefined;
  }
}
const disk = smallDisk();

/** Random letter strings: many distinct WordPiece tokens and states, so every turn writes new keys. */
function words(seed: number, bytes: number): string {
  let x = seed * 7919 + 1;
  let s = '';
  while (s.length < bytes) {
    x = (x * 48271) % 2147483647;
    for (let k = 0; k < 6; k++) s += String.fromCharCode(97 + ((x >> (k * 4)) % 26));
    s += ' ';
  }
  return s;
}

it.skipIf(!disk)(
  'disk full: 507 insufficient_storage, /ready 503 storage_unavailable until space is back, acknowledged records stay on disk',
  async () => {
    const server = await startServerProcess({ args: await testArgs('stt-free', { agents: disk!, workers: 1 }) });
    let failure: Response | undefined;
    let acknowledged = 0;
    try {
      for (let i = 0; i < 200 && !failure; i++) {
        const res = await fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gyrosi-baby', user: `full${i}`, max_tokens: 4, messages: [{ role: 'user', content: words(i, 40_000) }] }),
        });
        if (res.status === 200) {
          acknowledged++;
          await res.arrayBuffer();
        } else failure = res;
      }
      expect(acknowledged).toBeGreaterThan(0);
      expect(failure?.status).toBe(507);
      expect(((await failure!.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'insufficient_storage',
        message: expect.stringMatching(/ENOSPC/),
      });
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      // Space comes back (the tmpfs grows): /ready recovers by itself, with no turn sent, since a
      // load balancer sends none to a server that is not ready.
      execFileSync('mount', ['-o', 'remount,size=64m', disk!]);
      let back = await fetch(`${server.url}/ready`);
      for (let i = 0; i < 30 && back.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200)); // one probe per second at most
        back = await fetch(`${server.url}/ready`);
      }
      expect(back.status).toBe(200);
      const turn = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gyrosi-baby', user: 'full0', max_tokens: 4, messages: [{ role: 'user', content: 'hello again' }] }),
      });
      expect(turn.status).toBe(200);
    } finally {
      // The drain's exit code is not asserted here: closing stores frees their lock files' pages,
      // which may let the refused turn's few pending records through. shutdown-flush.test.ts
      // makes the flush fail for certain (a file-size limit) and asserts exit 1.
      await server.stop();
      try {
        // What was acknowledged is on disk: the user agent's log opens and holds records.
        const store = OrbitStore.open(join(disk!, 'user-full0', 'knowledge.bin'), { readOnly: true });
        expect(store.size).toBeGreaterThan(0);
        store.close();
      } finally {
        execFileSync('umount', [disk!]);
      }
    }
  },
  240_000,
);
