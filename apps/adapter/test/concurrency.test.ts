// The engine never runs on the HTTP thread: /health answers while every engine worker is busy
// with a long turn, before any of those turns finishes. An ordering, not a latency: the latency
// of /health under load is a figure of the load bench (bench/load.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashKey } from '../src/worker/pool-client.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { longTurnPreferences } from './long-turns.js';
import { sum, turnMetrics, until } from './metrics.js';

const WORKERS = 2; // testArgs' --workers
let server: ServerProcess;

beforeAll(async () => {
  // Turns run up to a 3 s wall-time guard (or an early [SEP]): long against a /health round trip.
  server = await startServerProcess({ args: [...(await testArgs()), '--preferences', longTurnPreferences(3000, 30000), '--turn-timeout-ms', '60000'] });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function health(): Promise<void> {
  const res = await fetch(`${server.url}/health`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe('ok');
}

/** The server's own view, from one scrape: turns in flight per worker, and turns finished. */
async function scrape(): Promise<{ inFlight: number[]; finished: number }> {
  const { inFlight, outcomes } = await turnMetrics(server.url);
  return { inFlight, finished: sum(Object.values(outcomes)) };
}

it('answers /health while every worker is busy with a long turn, before any turn finishes', async () => {
  // Four conversations per worker (picked by the pool's own routing), the first of them twice:
  // its second turn queues behind the first on the same worker.
  const users: string[] = [];
  for (let i = 0; users.length < 4 * WORKERS; i++) if (hashKey(`load-${i}`) % WORKERS === users.length % WORKERS) users.push(`load-${i}`);
  users.push(users[0]!);
  const turns = users.map((user) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', user, messages: [{ role: 'user', content: 'tell me everything you know about the sky and the sea' }] }),
    }),
  );
  // Wait (no clock) until every worker holds a turn.
  let before = await until(scrape, (s) => s.inFlight.length === WORKERS && s.inFlight.every((n) => n > 0));
  // A /health is conclusive when every worker held a turn before it was sent and no turn finished
  // (by the server's own count) until it was answered. An engine on the HTTP thread could never
  // answer one so: /health would wait for the running turn to finish. A reply may end early (a
  // [SEP]), so a turn's length is not assumed: checks go on while every worker is busy.
  let conclusive = 0;
  while (conclusive < 5 && before.inFlight.every((n) => n > 0)) {
    await health();
    const after = await scrape();
    if (after.finished === before.finished) conclusive++;
    before = after;
  }
  expect(conclusive).toBe(5);

  const results = await Promise.all(turns);
  for (const res of results) {
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  }
  const state = await scrape();
  expect(state.inFlight).toEqual(Array(WORKERS).fill(0));
  expect(state.finished).toBe(users.length);
}, 120_000);
