// A client that goes away cancels its turn: a running turn stops at its next token, a queued
// one never starts, so another user is not held up by work nobody will read. Aborts are logged
// at info level (not as errors) and counted in the request metrics (status 499).
import { expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { longTurnPreferences } from './long-turns.js';
import { sum, turnOutcomes, turnsInFlight, until } from './metrics.js';

it('ten aborted streams do not hold up another user: the running turn stops, queued ones never start', async () => {
  // One worker thread, so every turn queues behind the one running; each turn would run 20 s:
  // the first is still running when it is aborted, however long the nine take to arrive.
  const server = await startServerProcess({
    args: [
      ...(await testArgs('stt-free', { workers: 1, logLevel: 'info' })),
      '--turn-timeout-ms',
      '30000',
      '--preferences',
      longTurnPreferences(20_000, 10_000_000),
    ],
  });
  try {
    const chat = (user: string, stream: boolean, signal?: AbortSignal, extra: Record<string, unknown> = {}) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gyrosi-baby', user, stream, messages: [{ role: 'user', content: 'the river runs down to the sea' }], ...extra }),
        signal: signal ?? null,
      });
    const clients = Array.from({ length: 10 }, () => new AbortController());
    const first = await chat('gone-0', true, clients[0]!.signal);
    await first.body!.getReader().read(); // its turn is running
    const queued = clients.slice(1).map((c, i) => chat(`gone-${i + 1}`, true, c.signal).catch((e: Error) => e));
    await until(
      () => turnsInFlight(server.url),
      (w) => sum(w) === 10,
    ); // the nine reached the server and queue
    // The queued nine go first, then (once the server has seen them go) the running one.
    for (const c of clients.slice(1)) c.abort();
    await Promise.all(queued);
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    await until(
      () => turnOutcomes(server.url),
      (o) => o.cancelled === 9,
    );
    clients[0]!.abort();

    // Without cancellation this request waits behind 10 × 20 s of turns and misses its 30 s deadline.
    const other = await chat('other', false, undefined, { max_tokens: 4 });
    expect(other.status).toBe(200);

    const metrics = await scrape();
    expect(metrics).toMatch(/^gyro_turn_outcomes_total\{outcome="cancelled"\} 10$/m);
    expect(metrics).toMatch(/^gyro_turn_outcomes_total\{outcome="ok"\} 1$/m);
    // Two turns ran in the engine: the one cancelled mid-way, and the other user's. The nine queued never started.
    expect(metrics).toMatch(/^gyro_engine_turns_total 2$/m);
    expect(metrics).toMatch(/^gyro_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="499"\} 10$/m);
    expect(metrics).toMatch(/^gyro_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="200"\} 1$/m);

    const lines = server
      .log()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.filter((l) => l.includes('client closed the connection before the response finished') && l.includes('"level":30'))).toHaveLength(10);
    expect(lines.filter((l) => /"level":(40|50|60)/.test(l))).toEqual([]);
  } finally {
    expect(await server.stop()).toBe(0);
  }
}, 120_000);
