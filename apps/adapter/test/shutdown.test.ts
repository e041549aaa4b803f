// SIGTERM during a turn: the server stops accepting, finishes what is in flight, flushes every
// store and exits 0; every record the agents learned is on disk afterwards.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { testEngine } from '@gyro/information/testing';
import { GyroSI } from '@gyro/intelligence';
import { OrbitStore } from '@gyro/store';
import { startServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { longTurnPreferences } from './long-turns.js';
import { sum, turnsInFlight, until } from './metrics.js';

const entries = (store: OrbitStore) => [...store.iterEntries()].map((e) => e.join(':')).sort();

it('SIGTERM mid-turn: in-flight turns finish, every store is flushed, exit code 0', async () => {
  const server = await startServerProcess({ args: [...(await testArgs('stt-free')), '--preferences', longTurnPreferences(3000, 5000)] });
  const say = ['the river runs down to the sea and the sea is wide', 'and what lies beyond the sea?'];
  const chat = (content: string, stream: boolean) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', user: 'term', stream, messages: [{ role: 'user', content }] }),
    });

  const streaming = await chat(say[0]!, true);
  expect(streaming.status).toBe(200);
  const reader = streaming.body!.getReader();
  const first = await reader.read(); // the turn is running: its first chunk is here
  expect(new TextDecoder().decode(first.value)).toMatch(/"role":"assistant"/);
  const queued = chat(say[1]!, false); // same conversation: waits for the first turn
  // SIGTERM only once the server holds the queued turn too (two in flight): sent earlier, the
  // request may still be connecting and rightly get the draining 503.
  await until(
    () => turnsInFlight(server.url),
    (w) => sum(w) === 2,
  );
  const exit = server.stop('SIGTERM');

  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += new TextDecoder().decode(value);
  }
  expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true); // finished, not cut off
  expect((await queued).status).toBe(200);
  expect(await exit).toBe(0);

  // The server reported each agent's private records as it closed them; the files agree.
  const line = /records: (.*)\)/.exec(server.log())?.[1];
  expect(line).toBeDefined();
  const reported = Object.fromEntries(line!.split(' ').map((kv) => kv.split('=') as [string, string]));
  expect(Object.keys(reported).sort()).toEqual(['assistant', 'assistant-term', 'system', 'user', 'user-term']);
  expect(Number(reported['assistant-term'])).toBeGreaterThan(0);
  for (const [id, n] of Object.entries(reported)) {
    const store = OrbitStore.open(join(server.storeDir, 'agents', id, 'knowledge.bin'), { readOnly: true });
    expect(store.size, id).toBe(Number(n));
    store.close();
  }

  // The user agent's records, exactly: the same two texts learned by a fresh agent in-process.
  const replayPath = join(mkdtempSync(join(tmpdir(), 'gyro-replay-')), 'knowledge.bin');
  const replay = new GyroSI(await testEngine('stt-free'), OrbitStore.open(replayPath));
  for (const text of say) replay.ingestText(text);
  replay.close();
  const expected = OrbitStore.open(replayPath, { readOnly: true });
  const onDisk = OrbitStore.open(join(server.storeDir, 'agents', 'user-term', 'knowledge.bin'), { readOnly: true });
  expect(entries(onDisk)).toEqual(entries(expected));
  expect(onDisk.size).toBeGreaterThan(10);
  expected.close();
  onDisk.close();
}, 120_000);

it('runs relaunched with huge pages, and a repeated SIGINT (Ctrl-C reaches both processes) drains once and exits 0', async () => {
  const server = await startServerProcess({ args: await testArgs('stt-free') });
  if (process.platform === 'linux') expect(server.log()).toMatch(/huge pages on\)/);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  server.child.kill('SIGINT');
  server.child.kill('SIGINT');
  expect(await server.stop('SIGINT')).toBe(0);
  expect(server.log().match(/SIGINT received, draining/g)).toHaveLength(1);
}, 120_000);

it('GYRO_HUGE_PAGES=0 keeps the server in the process it was started as', async () => {
  const server = await startServerProcess({ args: await testArgs('stt-free'), env: { GYRO_HUGE_PAGES: '0' } });
  expect(server.log()).toMatch(/huge pages off\)/);
  expect(await server.stop('SIGTERM')).toBe(0);
}, 120_000);

it('SIGHUP drains like SIGTERM: the streamed turn in flight finishes, stores are flushed, exit 0', async () => {
  const server = await startServerProcess({ args: [...(await testArgs('stt-free')), '--preferences', longTurnPreferences(1500, 5000)] });
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gyrosi-baby', user: 'hup', stream: true, messages: [{ role: 'user', content: 'the river runs down to the sea' }] }),
  });
  const reader = res.body!.getReader();
  await reader.read(); // the turn is running
  const exit = server.stop('SIGHUP');
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += new TextDecoder().decode(value);
  }
  expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true);
  expect(await exit).toBe(0);
  expect(server.log()).toMatch(/SIGHUP received, draining/);
  expect(server.log()).toMatch(/records: .*assistant-hup=[1-9]/);
}, 120_000);
