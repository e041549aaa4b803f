import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryClient, parseRedisUrl, type MemoryClient } from './client.js';
import { RedisLogCorruptError, RedisUnavailableError, RedisUrlError } from './errors.js';
import { RedisStore } from './RedisStore.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './testing.js';

const entries = (s: RedisStore) => [...s.iterEntries()].map((e) => e.join('/')).sort();

describe('parseRedisUrl', () => {
  it('reads host, port and database, and refuses anything else', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/3')).toEqual({ host: '10.0.0.5', port: 6380, db: 3, tls: false });
    expect(parseRedisUrl('redis://cache')).toEqual({ host: 'cache', port: 6379, db: 0, tls: false });
    for (const bad of ['http://x:1/0', 'redis://x:1/abc', 'not a url', 'redis:///0']) expect(() => parseRedisUrl(bad)).toThrow(RedisUrlError);
  });
});

describe.skipIf(!hasRedisServer)('RedisStore against redis-server (needs redis-server)', () => {
  let server: RedisServer;
  let client: MemoryClient;
  let n = 0;
  const name = () => `t${++n}`;
  beforeAll(async () => {
    server = await startRedisServer({ persistent: true });
    client = createMemoryClient(server.url, { commandTimeoutMs: 500, maxReconnectDelayMs: 100 });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('a reader catches up by reading only the records added since its offset', async () => {
    const id = name();
    const a = await RedisStore.open(client, id, { autoPush: false });
    for (let t = 0; t < 1000; t++) a.put(7, t, t & 0xfe, 0.5);
    await a.push();
    const b = await RedisStore.open(client, id);
    expect(b.size).toBe(1000);
    expect(b.logOffset).toBe(12_000);
    a.put(7, 5, 2, 0.25);
    a.put(9, 1, 0, 0.75);
    a.delete(7, 6);
    await a.push();
    const report = await b.pull();
    expect(report).toMatchObject({ bytesRead: 36, records: 3, reloaded: false });
    expect(b.get(7, 5)).toEqual({ mask: 2, conf: 0.25 });
    expect(b.get(7, 6)).toBeUndefined();
    expect(entries(b)).toEqual(entries(a));
    expect((await b.pull()).bytesRead).toBe(0);
  });

  it('two writers at the same moment: both appends survive and both stores converge', async () => {
    const id = name();
    const a = await RedisStore.open(client, id, { autoPush: false });
    const b = await RedisStore.open(client, id, { autoPush: false });
    for (let t = 0; t < 50; t++) {
      a.put(1, t, 0, 0.1);
      b.put(2, t, 0, 0.2);
    }
    b.put(1, 0, 4, 0.9); // the same key from both: the later append wins everywhere
    const [pa, pb] = await Promise.all([a.push(), b.push()]);
    expect([pa.concurrent, pb.concurrent]).toContain(true);
    await Promise.all([a.pull(), b.pull()]);
    const fresh = await RedisStore.open(client, id);
    expect(fresh.size).toBe(100);
    expect(entries(a)).toEqual(entries(fresh));
    expect(entries(b)).toEqual(entries(fresh));
  });

  it('a log replaced under a reader (expired, written anew) is read again from its start', async () => {
    const id = name();
    const a = await RedisStore.open(client, id);
    a.put(3, 3, 0, 0.3);
    await a.push();
    await client.del([a.keys.log, a.keys.meta]);
    const c = await RedisStore.open(client, id, { autoPush: false });
    for (let t = 0; t < 10; t++) c.put(4, t, 0, 0.4);
    await c.push();
    const report = await a.pull();
    expect(report.reloaded).toBe(true);
    expect(a.get(3, 3)).toBeUndefined();
    expect(entries(a)).toEqual(entries(c));
  });

  it('meta bytes travel with the records; a plain commit keeps them; keys expire after ttlMs', async () => {
    const id = name();
    const a = await RedisStore.open(client, id, { ttlMs: 60_000 });
    a.put(1, 1, 0, 0.5);
    await a.push(new Uint8Array([1, 2, 3]));
    a.put(1, 2, 0, 0.5);
    await a.push();
    const b = await RedisStore.open(client, id);
    expect([...((await b.pull()).meta ?? [])]).toEqual([1, 2, 3]);
    for (const key of [a.keys.log, a.keys.meta]) {
      const ttl = Number(await client.pTTL(key));
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('refuses a key that does not hold records, with the byte offset', async () => {
    const id = name();
    const bad = Buffer.alloc(24);
    bad[23] = 0x07;
    await client.set(`gyro:{${id}}:log`, bad);
    await expect(RedisStore.open(client, id)).rejects.toThrow(RedisLogCorruptError);
    await expect(RedisStore.open(client, id)).rejects.toThrow(/at byte 12/);
  });

  it('Redis going away: a typed error, nothing lost, acknowledged records survive kill -9, recovery without reopening', async () => {
    const id = name();
    const a = await RedisStore.open(client, id, { autoPush: false });
    for (let t = 0; t < 20; t++) a.put(5, t, 0, 0.5);
    await a.push(); // acknowledged
    await server.kill();
    a.put(5, 100, 0, 0.625);
    await expect(a.push()).rejects.toThrow(RedisUnavailableError);
    await expect(a.pull()).rejects.toThrow(RedisUnavailableError);
    expect(a.unsentRecords).toBe(1);
    expect(a.get(5, 100)).toEqual({ mask: 0, conf: 0.625 });
    await server.restart();
    for (let i = 0; i < 100 && !client.isReady; i++) await new Promise((r) => setTimeout(r, 50));
    await a.push();
    expect(a.unsentRecords).toBe(0);
    const b = await RedisStore.open(client, id);
    expect(b.size).toBe(21);
    expect(entries(b)).toEqual(entries(a));
  });
});
