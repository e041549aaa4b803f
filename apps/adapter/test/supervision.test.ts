// A worker that dies is replaced: its in-flight turns fail with a retryable 503, its agents
// reopen from disk (the locks it left taken over), /ready recovers, and the restart is counted.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrbitStore } from '@gyro/store';
import { hashKey } from '../src/worker/pool-client.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { longTurnPreferences } from './long-turns.js';
import { turnsInFlight, until } from './metrics.js';

const WORKERS = 2;
const users = Array.from({ length: 12 }, (_, i) => `sup${i}`);
const onWorker0 = users.filter((u) => hashKey(u) % WORKERS === 0);

/** A short turn (8 tokens), or a long one (the agent's own limits: ~2 s of generation). */
function chat(url: string, user: string, content: string, long = false) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gyrosi-baby', user, ...(long ? {} : { max_tokens: 8 }), messages: [{ role: 'user', content }] }),
  });
}
const crash = (url: string, worker: number) =>
  fetch(`${url}/debug/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'crash-worker', worker }) });

describe('with GYRO_FAULT_INJECTION=1', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    // Long turns run until a 2 s wall-time guard: long enough to be caught in flight.
    const args = [...(await testArgs('stt-free', { workers: WORKERS })), '--preferences', longTurnPreferences(2000, 30000), '--turn-timeout-ms', '30000'];
    server = await startServerProcess({ args, env: { GYRO_FAULT_INJECTION: '1' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('replaces a crashed worker: in-flight turns get 503 worker_restarted, every user is served again', async () => {
    expect(onWorker0.length).toBeGreaterThan(1);
    for (const r of await Promise.all(users.map((u) => chat(server.url, u, `remember the harbour of ${u}`)))) expect(r.status).toBe(200);

    // Turns in flight on worker 0 when it dies.
    const inFlight = onWorker0.map((u) => chat(server.url, u, 'tell me about the sea and the wind', true));
    await until(
      () => turnsInFlight(server.url),
      (w) => w[0] === onWorker0.length,
    ); // all of them reached worker 0
    const fault = await crash(server.url, 0);
    expect(fault.status).toBe(200);
    const failed = await Promise.all(inFlight);
    const statuses = failed.map((r) => r.status);
    expect(statuses).toContain(503);
    for (const r of failed) {
      if (r.status === 200) continue;
      expect(r.status).toBe(503);
      const body = (await r.json()) as { error: { code: string; type: string } };
      expect(body.error).toMatchObject({ code: 'worker_restarted', type: 'server_error' });
    }

    // Every user (those of the crashed worker first) is answered again, and /ready is 200.
    const served = new Set<string>();
    // No deadline here (how fast a worker is replaced is the log's "replaced in N ms"): the
    // test's own timeout bounds the wait; every user must be answered.
    while (served.size < users.length) {
      const batch = users.filter((u) => !served.has(u));
      const res = await Promise.all(batch.map((u) => chat(server.url, u, 'and now?')));
      res.forEach((r, i) => {
        if (r.status === 200) served.add(batch[i]!);
      });
      if (served.size < users.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect([...served].sort()).toEqual([...users].sort());
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^gyro_worker_restarts_total 1$/m);
    expect(metrics).toMatch(/^gyro_turn_outcomes_total\{outcome="worker_restarted"\} [1-9]/m);
    expect(server.log()).toMatch(/engine worker 0: replaced in \d+ ms/);

    // A clean stop flushes everything, the replacement's stores included; each reopens with its records.
    expect(await server.stop()).toBe(0);
    const agents = readdirSync(join(server.storeDir, 'agents'));
    for (const u of users) {
      expect(agents).toContain(`user-${u}`);
      const store = OrbitStore.open(join(server.storeDir, 'agents', `user-${u}`, 'knowledge.bin'), { readOnly: true });
      expect(store.size, u).toBeGreaterThan(3);
      store.close();
    }
  }, 120_000);
});

it('without GYRO_FAULT_INJECTION the fault route does not exist (404)', async () => {
  const server = await startServerProcess({ args: await testArgs('stt-free'), env: { GYRO_FAULT_INJECTION: '' } });
  try {
    const res = await crash(server.url, 0);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unknown_url');
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  } finally {
    expect(await server.stop()).toBe(0);
  }
}, 120_000);
