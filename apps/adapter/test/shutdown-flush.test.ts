// A shutdown whose flush fails exits 1 and names the stores it could not flush. The fault is a
// file-size limit set on the running server (prlimit --fsize; Node ignores SIGXFSZ, so writes
// fail with EFBIG): unlike a full disk, closing other stores frees nothing that lets the write
// through, so the records of the refused turn stay pending and the drain cannot write them.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OrbitStore } from '@gyro/store';
import { startServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

const prlimit = spawnSync('prlimit', ['--version']).status === 0;

async function turn(url: string, content: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gyrosi-baby', user: 'flush', max_tokens: 4, messages: [{ role: 'user', content }] }),
  });
}

it.skipIf(!prlimit)(
  'a turn past a file-size limit is a 507 naming EFBIG; the drain that cannot flush its records exits 1 naming the store; acknowledged records stay',
  async () => {
    // GYRO_HUGE_PAGES=0: no relaunch, so the limit lands on the process that writes.
    const server = await startServerProcess({ args: await testArgs('stt-free', { workers: 1 }), env: { GYRO_HUGE_PAGES: '0' } });
    const log = join(server.storeDir, 'agents', 'user-flush', 'knowledge.bin');
    try {
      const first = await turn(server.url, 'what is a dog? a dog is an animal that barks at the postman');
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      execFileSync('prlimit', ['--pid', String(server.child.pid), '--fsize=1']);
      const refused = await turn(server.url, 'and what is a cat? a cat is an animal that sleeps in the sun all day');
      expect(refused.status).toBe(507);
      expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'insufficient_storage',
        message: expect.stringMatching(/EFBIG/),
      });
      expect((await fetch(`${server.url}/ready`)).status).toBe(503);
      const code = await server.stop();
      expect(code).toBe(1);
      expect(server.log()).toMatch(/shutdown failed: .*could not be flushed.*user-flush/);
      // What was acknowledged is on disk and opens.
      const store = OrbitStore.open(log, { readOnly: true });
      expect(store.size).toBeGreaterThan(0);
      store.close();
    } finally {
      await server.stop();
    }
  },
  120_000,
);
