// At a low open-file limit a burst of new users evicts agents instead of failing with EMFILE:
// the server raises its soft limit to the hard one, caps resident agents from it, and a failed
// agent open leaves no empty folder.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

const hasPrlimit = (() => {
  try {
    execFileSync('prlimit', ['--nofile=256:256', process.execPath, '-e', '0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function burst(url: string, users: number, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < users) {
        const u = next++;
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gyrosi-baby', user: `fd${u}`, max_tokens: 3, messages: [{ role: 'user', content: `hello from user ${u}` }] }),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    }),
  );
  return statuses;
}

it.skipIf(!hasPrlimit)(
  'at 256 open files, 400 new users are all answered 200 and every agent folder holds a store',
  async () => {
    const server = await startServerProcess({ args: await testArgs('stt-free'), wrap: ['prlimit', '--nofile=256:256'] });
    try {
      const line = /open-file limit 256: at most (\d+) resident agents per worker, (\d+) connections/.exec(server.log());
      expect(line, server.log()).not.toBeNull();
      expect(Number(line![1])).toBeLessThan(128); // capped from the default 1000
      const statuses = await burst(server.url, 400, 16);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const agents = join(server.storeDir, 'agents');
    const dirs = readdirSync(agents);
    expect(dirs.length).toBeGreaterThanOrEqual(800); // user-fdN and assistant-fdN for each user
    for (const d of dirs) expect(existsSync(join(agents, d, 'knowledge.bin')), d).toBe(true);
  },
  240_000,
);

it.skipIf(!hasPrlimit)(
  'runs at the hard open-file limit, not the soft one it was started with',
  async () => {
    const server = await startServerProcess({ args: await testArgs('stt-free'), wrap: ['prlimit', '--nofile=200:4096'] });
    try {
      // Node raises the soft limit itself at start; where it has not, the server does (prlimit).
      expect(server.log()).toMatch(/open-file limit 4096( \(raised from 200\))?: at most 1000 resident agents per worker/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  },
  120_000,
);
