import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { CorruptStoreError, OrbitStore } from '@gyro/store';
import { GyroError } from '@gyro/information';
import { AgentPool, ClosedError, GyroSI, InvalidArgumentError, orchestrateTurn, UnknownAgentError, type AgentPoolOptions } from '../src/index.js';
import { shardIndexOf } from '../src/internals.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('AgentPool and orchestrateTurn (SPEC §6.4)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  let publicPath: string;
  let n = 0;

  beforeAll(async () => {
    info = await testEngine();
    const store = freshStore(tmp.dir, 'public.bin');
    const seeder = new GyroSI(info, store);
    seeder.ingest(licensesStream().bytes);
    seeder.close();
    publicPath = store.path;
  });
  afterAll(() => tmp.cleanup());

  const pool = (extra: Partial<AgentPoolOptions> = {}) =>
    new AgentPool({ info, publicStorePath: publicPath, privateRoot: join(tmp.dir, `agents${n++}`), seed: 1, ...extra });

  it('creates the triad with private stores over the shared read-only public store', () => {
    const p = pool();
    p.ensureTriad();
    expect(p.activeAgents().sort()).toEqual(['assistant', 'system', 'user']);
    const a = p.get('assistant');
    // Public knowledge is visible through the overlay…
    expect(a.store.size).toBeGreaterThanOrEqual(1954);
    const publicSize = statSync(publicPath).size;
    a.ingestText('a brand new sentence about gyroscopes');
    a.flush();
    // …and learning goes to the private file only.
    expect(statSync(publicPath).size).toBe(publicSize);
    const priv = join(tmp.dir, `agents${n - 1}`, 'assistant', 'knowledge.bin');
    expect(statSync(priv).size).toBeGreaterThan(0);
    p.close();
    expect(() => p.get('user')).toThrow(ClosedError);
  });

  it('refuses unknown ids unless created explicitly or auto-creation is allowed; validates ids', () => {
    const p = pool();
    expect(() => p.get('mallory')).toThrow(UnknownAgentError);
    expect(p.createAgent('mallory').agentId).toBe('mallory');
    expect(p.get('mallory').agentId).toBe('mallory');
    expect(() => p.createAgent('../escape')).toThrow(InvalidArgumentError);
    expect(() => p.createAgent('')).toThrow(InvalidArgumentError);
    p.close();
    const q = pool({ allowAutoCreate: true });
    expect(q.get('anyone').agentId).toBe('anyone');
    q.close();
  });

  it('evicts by LRU within a shard, flushing and closing; an evicted agent reopens with its knowledge', () => {
    const p = pool({ preferences: { maxAgentsInMemory: 16 }, allowAutoCreate: true }); // one agent per shard
    const ids = Array.from({ length: 200 }, (_, i) => `a${i}`);
    const first = p.get(ids[0]!);
    first.ingestText('remember the word zeppelin');
    const learned = first.store.size;
    for (const id of ids.slice(1)) p.get(id);
    expect(p.size).toBeLessThanOrEqual(16);
    expect(p.evictions).toBeGreaterThan(0);
    expect(first.isClosed).toBe(true);
    const again = p.get(ids[0]!);
    expect(again).not.toBe(first);
    expect(again.store.size).toBe(learned);
    p.close();
  });

  it('pinned agents are never evicted (a turn awaiting agent memory), under lru and lfu; unpinned they are again', () => {
    for (const policy of ['lru', 'lfu'] as const) {
      const p = pool({ preferences: { maxAgentsInMemory: 16, agentEvictionPolicy: policy }, allowAutoCreate: true }); // one agent per shard
      const ids = Array.from({ length: 400 }, (_, i) => `p${i}`);
      const same = ids.filter((id) => shardIndexOf(id) === shardIndexOf(ids[0]!));
      const pinned = p.get(same[0]!);
      p.pin(same[0]!);
      p.pin(same[0]!);
      for (const id of same.slice(1, 4)) p.get(id);
      expect(pinned.isClosed).toBe(false);
      expect(p.has(same[0]!)).toBe(true);
      p.unpin(same[0]!); // still pinned once
      p.get(same[4]!);
      expect(pinned.isClosed).toBe(false);
      p.unpin(same[0]!);
      p.get(same[5]!);
      p.get(same[6]!);
      expect(pinned.isClosed).toBe(true);
      p.close();
    }
  });

  it('lfu keeps the busiest agent; ttl evicts idle ones', async () => {
    const p = pool({ preferences: { maxAgentsInMemory: 32, agentEvictionPolicy: 'lfu' }, allowAutoCreate: true }); // two per shard
    // Three ids that share a shard.
    const shardIds: string[] = [];
    for (let i = 0; shardIds.length < 3; i++) if (shardIndexOf(`x${i}`) === shardIndexOf('x0')) shardIds.push(`x${i}`);
    const [busy, idle, newcomer] = shardIds as [string, string, string];
    p.get(busy);
    p.get(busy);
    p.get(busy);
    p.get(idle);
    p.get(newcomer);
    expect(p.has(busy)).toBe(true);
    expect(p.has(idle)).toBe(false);
    p.close();

    const t = pool({ preferences: { agentEvictionPolicy: 'ttl', agentTtlMinutes: 0.0005 }, allowAutoCreate: true }); // 30 ms
    t.get('old');
    await new Promise((r) => setTimeout(r, 60));
    t.get('fresh');
    expect(t.sweepExpired()).toBeGreaterThanOrEqual(0);
    expect(t.has('old')).toBe(false);
    expect(t.has('fresh')).toBe(true);
    t.close();
  });

  it('orchestrateTurn: the user ingests, the assistant replies to the text plus [SEP]', () => {
    const p = pool();
    expect(() => orchestrateTurn(p, 'nobody', 'assistant', 'hi')).toThrow(UnknownAgentError);
    p.ensureTriad();
    const user = p.get('user');
    const before = user.engine.counters.tokensLearned;
    const reply = orchestrateTurn(p, 'user', 'assistant', 'what does the licence permit?', { maxNewTokens: 12 });
    expect(user.engine.counters.tokensLearned).toBeGreaterThan(before);
    expect(reply.promptTokens).toBe(user.tokenizer.encode('what does the licence permit?').length + 1);
    expect(reply.tokens.length).toBeGreaterThan(0);
    expect(typeof reply.text).toBe('string');
    expect(reply.text).toBe(reply.text.toLowerCase());
    p.close();
    for (const id of ['user', 'assistant']) expect(existsSync(join(tmp.dir, `agents${n - 1}`, id, 'knowledge.bin'))).toBe(true);
  });

  it('a corrupt public store is a typed error naming the file; nothing is created', () => {
    const path = join(tmp.dir, 'corrupt.bin');
    const record = Buffer.alloc(12);
    record.writeUInt8(0x77, 11); // a pad byte no writer produces
    writeFileSync(path, record);
    const root = join(tmp.dir, 'agents-corrupt');
    let err: unknown;
    try {
      pool({ publicStorePath: path, privateRoot: root });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptStoreError);
    expect(err).toBeInstanceOf(GyroError);
    expect(String((err as Error).message)).toContain('corrupt.bin');
    expect(existsSync(root)).toBe(false);
  });

  it('creates an empty public store when none exists yet', () => {
    const path = join(tmp.dir, 'new-public', 'knowledge.bin');
    const p = pool({ publicStorePath: path });
    p.ensureTriad();
    expect(p.get('user').store.size).toBe(0);
    p.close();
    expect(OrbitStore.open(path, { readOnly: true }).size).toBe(0);
  });
});
