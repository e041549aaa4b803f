// Two real replicas (two server processes, each with its own copy of one public store) and one
// real redis-server: a user's conversation gives the same replies on one replica, alternating
// between two, and after the first is killed with SIGKILL; Redis going away gives clear 503s and
// loses no acknowledged turn; it is used again when it comes back, without a restart.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '@gyro/information/testing';
import { GyroSI } from '@gyro/intelligence';
import { OrbitStore } from '@gyro/store';
import { COMPACT_MIN_RECORDS, COMPACT_RATIO, RedisStore, createMemoryClient } from '@gyro/store-redis';
import { hasRedisServer, startRedisServer, type RedisServer } from '@gyro/store-redis/testing';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

const SAY = ['where does the river go?', 'what is the sea?', 'is the water salt?', 'who sails on it?', 'what lies beyond?', 'will the river run dry?'];
type Message = { role: string; content: string };

describe.skipIf(!hasRedisServer)('replicas sharing agent memory in Redis (needs redis-server)', () => {
  let redis: RedisServer;
  const publicDir = mkdtempSync(join(tmpdir(), 'gyro-public-'));
  const replicas: ServerProcess[] = [];
  let prefs: string;

  /** A replica: its own folder holding a copy of the one public store, memory in Redis. */
  const startReplica = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyro-replica-'));
    copyFileSync(join(publicDir, 'knowledge.bin'), join(dir, 'knowledge.bin'));
    const args = [...(await testArgs('stt-free', { workers: 1 })), '--memory', redis.url, '--agent-ttl', '1h', '--preferences', prefs];
    // No huge-page relaunch: SIGKILL must reach the process that serves.
    const server = await startServerProcess({ storeDir: dir, args, env: { GYRO_HUGE_PAGES: '0' } });
    replicas.push(server);
    return server;
  };

  /**
   * One turn as an OpenAI client sends it: the whole history, without a system message.
   */
  const turn = async (server: ServerProcess, user: string, history: Message[], i: number) => {
    const messages = [...history, { role: 'user', content: SAY[i]! }];
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Seeded once: later turns continue the sampler from the session state in Redis.
      body: JSON.stringify({ model: 'gyrosi-baby', user, messages, max_tokens: 12, ...(i === 0 ? { seed: 42 } : {}) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { choices?: Array<{ message: { content: string } }>; error?: { code: string; type: string; message: string } },
    };
  };

  /** Six turns, turn i on servers(i); returns the replies. */
  const conversation = async (user: string, serverFor: (i: number) => ServerProcess | Promise<ServerProcess>, turns = SAY.length) => {
    const history: Message[] = [];
    const replies: string[] = [];
    for (let i = 0; i < turns; i++) {
      const r = await turn(await serverFor(i), user, history, i);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const text = r.body.choices![0]!.message.content;
      replies.push(text);
      history.push({ role: 'user', content: SAY[i]! }, { role: 'assistant', content: text });
    }
    return replies;
  };

  beforeAll(async () => {
    redis = await startRedisServer({ persistent: true }); // AOF, fsync always: survives its own kill -9
    // One public store, learned once, copied to every replica (as a deployment does).
    const publicStore = OrbitStore.open(join(publicDir, 'knowledge.bin'));
    const teacher = new GyroSI(await testEngine('stt-free'), publicStore, { seed: 1 });
    for (const line of [
      'the river runs down to the sea',
      'the sea is wide and the water is salt',
      'sailors sail on the sea in ships',
      'beyond the sea lie other lands',
      'a river can run dry in summer',
    ])
      teacher.ingestText(line);
    teacher.close();
    // A scan cut by its 20 ms budget would make any reply timing-dependent, on one replica too.
    prefs = join(mkdirSync(join(publicDir, 'prefs'), { recursive: true })!, 'preferences.json');
    writeFileSync(prefs, JSON.stringify({ agent: { scanBudgetMs: 60_000 } }));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    await redis?.stop();
    for (const dir of [publicDir, ...replicas.map((r) => r.storeDir)]) rmSync(dir, { recursive: true, force: true });
  });

  it('six seeded turns: one replica, alternating between two, and the first killed with SIGKILL after the third, give the same replies', async () => {
    const [one, two] = [await startReplica(), await startReplica()];
    const solo = await conversation('solo', () => one);
    const alternating = await conversation('alt', (i) => (i % 2 === 0 ? one : two));
    expect(alternating).toEqual(solo);
    const killed = await conversation('killed', async (i) => {
      if (i === 3) {
        expect(await one.stop('SIGKILL')).toBe(null); // killed, no drain
        return two;
      }
      return i < 3 ? one : two;
    });
    expect(killed).toEqual(solo);
    // The replies are not all alike: the test compares something that could differ.
    expect(new Set(solo).size).toBeGreaterThan(1);
  });

  it('Redis going away: 503 memory_unavailable while it is down, no acknowledged turn lost, recovery without a restart', async () => {
    const server = replicas.find((r) => r.child.exitCode === null && r.child.signalCode === null) ?? (await startReplica());
    const reference = await conversation('reference', () => server, 3);
    const history: Message[] = [];
    const first = await turn(server, 'outage', history, 0);
    expect(first.status).toBe(200);
    history.push({ role: 'user', content: SAY[0]! }, { role: 'assistant', content: first.body.choices![0]!.message.content });

    await redis.kill();
    const down = await turn(server, 'outage', history, 1);
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({ type: 'server_error', code: 'memory_unavailable' });
    expect(down.body.error!.message).toMatch(/agent memory is unavailable/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200); // the server itself is alive

    await redis.restart(); // same port, same append-only file
    let back = await turn(server, 'outage', history, 1);
    for (let i = 0; i < 50 && back.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 200));
      back = await turn(server, 'outage', history, 1);
    }
    expect(back.status).toBe(200);
    history.push({ role: 'user', content: SAY[1]! }, { role: 'assistant', content: back.body.choices![0]!.message.content });
    const third = await turn(server, 'outage', history, 2);
    // The failed turn left nothing behind and the acknowledged first turn survived Redis's kill -9.
    expect([first.body.choices![0]!.message.content, back.body.choices![0]!.message.content, third.body.choices![0]!.message.content]).toEqual(reference);
  });

  it('a long conversation: superseded records do not pile up in Redis (the log is compacted after the reply)', async () => {
    const server = replicas.find((r) => r.child.exitCode === null && r.child.signalCode === null) ?? (await startReplica());
    const big = Array.from({ length: 3000 }, (_, k) => `w${(k * 7919) % 1000}x${k % 13}`).join(' ');
    const say = async (content: string) => {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gyrosi-baby', user: 'long', messages: [{ role: 'user', content }], max_tokens: 4 }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    };
    const client = createMemoryClient(redis.url);
    client.on('error', () => undefined);
    await client.connect();
    try {
      await say('hello');
      const reader = await RedisStore.open(client, 'user-long'); // holds an offset into the first log
      for (let i = 0; i < 4; i++) await say(big);
      await say('goodbye'); // waits in the agent's queue behind any compaction still running
      const end = await RedisStore.open(client, 'user-long');
      // Each big turn appends well over COMPACT_MIN_RECORDS records, mostly overwrites (in canonical
      // mode the live keys are few): without compaction the log would hold all of them.
      expect(end.logOffset / 12).toBeLessThanOrEqual(Math.max(COMPACT_MIN_RECORDS, COMPACT_RATIO * end.size));
      // The log was replaced (a new epoch), and a replica holding the old one reads it anew.
      expect(await reader.pull()).toMatchObject({ reloaded: true });
      expect([...reader.iterEntries()].map((e) => e.join('/')).sort()).toEqual([...end.iterEntries()].map((e) => e.join('/')).sort());
    } finally {
      await client.close();
    }
  });
});
