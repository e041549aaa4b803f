// The engine never runs on the HTTP thread: /health answers at once while 16 long turns run.
import { Agent, get } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { longTurnPreferences } from './long-turns.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ args: [...(await testArgs()), '--preferences', longTurnPreferences(400, 30000), '--turn-timeout-ms', '60000'] });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

/** GET /health on its own kept-alive connection; resolves with the latency in ms. */
const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
function health(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get(`${server.url}/health`, { agent: healthAgent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        if (res.statusCode !== 200 || JSON.parse(body).status !== 'ok') reject(new Error(`health answered ${res.statusCode}: ${body}`));
        else resolve(performance.now() - t0);
      });
    }).on('error', reject);
  });
}

const inFlight = async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return [...text.matchAll(/^gyro_turns_in_flight\{worker="\d+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
};

it('answers /health within 50 ms while 16 long turns are in flight', async () => {
  // 15 conversations, one of them twice: its two turns go to the same worker, one after the other.
  await health(); // open the connection the checks below reuse
  const users = [...Array.from({ length: 15 }, (_, i) => `load-${i}`), 'load-0'];
  const turns = users.map((user) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', user, messages: [{ role: 'user', content: 'tell me everything you know about the sky and the sea' }] }),
    }),
  );
  await new Promise((r) => setTimeout(r, 100));
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    latencies.push(await health());
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(await inFlight()).toBeGreaterThan(0); // turns were in flight throughout the checks
  // Every answer within 50 ms: an engine on the HTTP thread would hold /health for a whole
  // turn. (Workers run at lower priority, so the HTTP thread keeps the CPU it needs.)
  console.log(`/health latencies (ms): ${latencies.map((l) => l.toFixed(1)).join(' ')}`);
  expect(Math.max(...latencies)).toBeLessThan(50);

  const results = await Promise.all(turns);
  for (const res of results) {
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { completion_tokens: number }; choices: Array<{ finish_reason: string }> };
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  }
  expect(await inFlight()).toBe(0);
}, 60_000);
