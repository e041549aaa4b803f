import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryClient, type MemoryClient } from './client.js';
import { RedisStore } from './RedisStore.js';
import { runScript } from './scripts.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './testing.js';

const entries = (s: RedisStore) => [...s.iterEntries()].map((e) => e.join('/')).sort();
/** Each state's keys in list order (what candidate scans read first). */
const order = (s: RedisStore, states: number[]) => states.map((st) => [...s.iterKeysForState(st)]);

describe.skipIf(!hasRedisServer)('RedisStore.compact against redis-server (needs redis-server)', () => {
  let server: RedisServer;
  let client: MemoryClient;
  let n = 0;
  const name = () => `c${++n}`;
  beforeAll(async () => {
    server = await startRedisServer();
    client = createMemoryClient(server.url, { commandTimeoutMs: 2000 });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  /** A store whose log holds five rounds of overwrites of 100 keys over three states, and deletes. */
  async function churned(id: string, ttlMs = 0): Promise<RedisStore> {
    const a = await RedisStore.open(client, id, { autoPush: false, ttlMs });
    for (let round = 0; round < 5; round++) for (let t = 0; t < 100; t++) a.put([7, 9, 11][t % 3]!, 1000 - t * 7, (round * 2) & 0xfe, (round + 1) / 8);
    for (let t = 0; t < 100; t += 10) a.delete([7, 9, 11][t % 3]!, 1000 - t * 7);
    await a.push(Buffer.from([1, 2, 3]));
    return a;
  }

  it('keeps exactly the live entries in their order and the meta bytes; readers reload; later appends land on it', async () => {
    const id = name();
    const a = await churned(id);
    const b = await RedisStore.open(client, id, { autoPush: false });
    const before = await client.strLen(a.keys.log);
    expect(before).toBe((500 + 10) * 12);
    const report = await a.compact();
    expect(report).toEqual({ compacted: true, beforeBytes: before, logBytes: 90 * 12 });
    expect(await client.strLen(a.keys.log)).toBe(90 * 12);
    const pulled = await b.pull();
    expect(pulled).toMatchObject({ reloaded: true, logBytes: 90 * 12 });
    expect(pulled.meta).toEqual(Buffer.from([1, 2, 3]));
    const fresh = await RedisStore.open(client, id);
    for (const s of [b, fresh]) {
      expect(s.size).toBe(90);
      expect(entries(s)).toEqual(entries(a));
      expect(order(s, [7, 9, 11])).toEqual(order(a, [7, 9, 11]));
    }
    b.put(7, 1, 2, 0.5);
    await b.push();
    expect(await a.pull()).toMatchObject({ reloaded: false, records: 1, bytesRead: 12 });
    expect(a.get(7, 1)).toEqual({ mask: 2, conf: 0.5 });
  });

  it('compactIfWorthIt waits until superseded records dominate', async () => {
    const id = name();
    const a = await RedisStore.open(client, id, { autoPush: false });
    for (let t = 0; t < 10; t++) a.put(5, t, 0, 0.5);
    await a.push();
    expect((await a.compactIfWorthIt()).compacted).toBe(false); // under the 4096-record floor
    expect((await a.compactIfWorthIt(1, 2)).compacted).toBe(false); // 10 records, 10 keys
    for (let t = 0; t < 10; t++) a.put(5, t, 0, 0.25);
    expect(await a.compactIfWorthIt(1, 2)).toEqual({ compacted: true, beforeBytes: 240, logBytes: 120 }); // unsent ones pushed first
    expect(a.unsentRecords).toBe(0);
    expect((await RedisStore.open(client, id)).get(5, 3)).toEqual({ mask: 0, conf: 0.25 });
  });

  it('does nothing when the log grew after the catch-up; racing a writer loses no record', async () => {
    const id = name();
    const a = await churned(id);
    const len = await client.strLen(a.keys.log);
    const refused = await runScript(client, 'compact', [a.keys.log, a.keys.meta], [String(len - 12), Buffer.alloc(12), Buffer.alloc(8), '0']);
    expect(refused.map(Number)).toEqual([0, len]);
    expect(await client.strLen(a.keys.log)).toBe(len);
    const b = await RedisStore.open(client, id, { autoPush: false });
    for (let t = 0; t < 50; t++) b.put(13, t, 0, 0.75);
    await Promise.all([a.compact(), b.push()]);
    await Promise.all([a.pull(), b.pull()]);
    const fresh = await RedisStore.open(client, id);
    expect(fresh.size).toBe(140);
    expect(entries(a)).toEqual(entries(fresh));
    expect(entries(b)).toEqual(entries(fresh));
  });

  it('keeps the expiry', async () => {
    const id = name();
    const a = await churned(id, 60_000);
    await a.compact();
    expect(await client.pTTL(a.keys.log)).toBeGreaterThan(0);
    expect(await client.pTTL(a.keys.meta)).toBeGreaterThan(0);
  });
});
