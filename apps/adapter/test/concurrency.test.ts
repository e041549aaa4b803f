// The engine never runs on the HTTP thread: /health answers while every engine worker is busy
// with a long turn, before any of those turns finishes. An ordering, not a latency: the latency
// of /health under load is a figure of the load bench (bench/load.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashKey } from '../src/worker/pool-client.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { longTurnPreferences } from './long-turns.js';
import { sum, turnOutcomes, turnsInFlight, until } from './metrics.js';

const WORKERS = 2; // testArgs' --workers
let server: ServerProcess;

beforeAll(async () => {
  // Each turn runs its full 3 s wall-time guard: long against 20 /health round trips even on a
  // loaded machine, so "before any turn finished" is a wide window, not a race.
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

/** The server's own view: turns in flight per worker, and turns finished. */
const scrape = async () => ({ inFlight: await turnsInFlight(server.url), finished: sum(Object.values(await turnOutcomes(server.url))) });

it('answers /health while every worker is busy with a long turn, before any turn finishes', async () => {
  // One conversation per worker (picked by the pool's own routing), the first of them twice:
  // its second turn queues behind the first on the same worker.
  const users: string[] = [];
  for (let i = 0; users.length < WORKERS; i++) if (hashKey(`load-${i}`) % WORKERS === users.length) users.push(`load-${i}`);
  users.push(users[0]!);
  const turns = users.map((user) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', user, messages: [{ role: 'user', content: 'tell me everything you know about the sky and the sea' }] }),
    }),
  );
  // Wait (no clock) until every worker holds a turn.
  let state = await until(scrape, (s) => s.inFlight.length === WORKERS && s.inFlight.every((n) => n > 0));
  expect(state.finished).toBe(0);

  for (let i = 0; i < 20; i++) await health();

  // An engine on the HTTP thread would hold each /health until a whole turn had finished.
  state = await scrape();
  expect(state.finished).toBe(0);
  expect(state.inFlight.every((n) => n > 0)).toBe(true);

  const results = await Promise.all(turns);
  for (const res of results) {
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  }
  state = await scrape();
  expect(state.inFlight).toEqual(Array(WORKERS).fill(0));
  expect(state.finished).toBe(users.length);
}, 60_000);
