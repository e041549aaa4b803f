// --agents-max-bytes: many users with large prompts leave the agents folder within the budget
// (plus 20 %), every request answered 200; the pool's own triad is never removed.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

/** Apparent bytes of every file under `dir`. */
function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

/** About `bytes` of made-up words (many distinct WordPiece tokens, so the agents learn many keys). */
function prompt(seed: number, bytes: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ter', 'quon', 'ash', 'vel', 'dri', 'om', 'zul', 'pre', 'xen', 'bau', 'fi', 'gor', 'sty'];
  const out: string[] = [];
  let x = (seed * 2654435761 + 1) % 2147483647 || 1;
  let len = 0;
  while (len < bytes) {
    let w = '';
    for (let k = 0; k < 3; k++) {
      x = (x * 48271) % 2147483647;
      w += syllables[x % syllables.length];
    }
    out.push(w);
    len += w.length + 1;
  }
  return out.join(' ');
}

const USERS = Number(process.env.GYRO_TEST_BUDGET_USERS ?? 40);
const BUDGET = Number(process.env.GYRO_TEST_BUDGET_BYTES ?? 400_000);

it(`${USERS} users with 50 KB prompts stay within --agents-max-bytes ${BUDGET} (+20 %), all answered 200`, async () => {
  const server = await startServerProcess({ args: [...(await testArgs()), '--agents-max-bytes', String(BUDGET), '--turn-timeout-ms', '60000'] });
  const statuses = new Map<number, number>();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < USERS) {
          const u = next++;
          const res = await fetch(`${server.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'gyrosi-baby', user: `budget${u}`, max_tokens: 8, messages: [{ role: 'user', content: prompt(u, 50_000) }] }),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          await res.arrayBuffer();
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: USERS });
    // The last scan runs after the last turn: give it a moment.
    await new Promise((r) => setTimeout(r, 1000));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^gyro_agents_forgotten_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  } finally {
    expect(await server.stop()).toBe(0);
  }
  const agents = join(server.storeDir, 'agents');
  const bytes = folderBytes(agents);
  console.log(
    `agents folder: ${bytes} bytes for a budget of ${BUDGET} (${((bytes / BUDGET) * 100).toFixed(1)} %), ${readdirSync(agents).length} agent folders left of ${USERS * 2 + 3}`,
  );
  expect(bytes).toBeLessThanOrEqual(BUDGET * 1.2);
  // The pool's own triad stays; the most recent users are still there.
  for (const id of ['user', 'system', 'assistant', `user-budget${USERS - 1}`]) expect(readdirSync(agents)).toContain(id);
}, 600_000);
