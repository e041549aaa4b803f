import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { idsToBytes, tokenBytes, SEP_ID } from '@gyro/tokenizer';
import { IntelligenceEngine, type EgressHook } from '../src/index.js';
import { Random } from '../src/internals.js';
import { freshStore, recordRows, tempDir } from './support.js';

/** A random masked stream: ordinary, large and [SEP] tokens, malformed ones and oversize runs. */
function randomStream(r: Random, tokens: number): Uint8Array {
  const parts: number[] = [];
  for (let i = 0; i < tokens; i++) {
    const x = r.next();
    if (x < 0.7) parts.push(...tokenBytes(r.int(30522)));
    else if (x < 0.78) parts.push(...tokenBytes(SEP_ID));
    else if (x < 0.9) parts.push(...idsToBytes([r.int(2 ** 32)]));
    else if (x < 0.95) {
      // Over 5 bytes, or 5 bytes with an id ≥ 2^32.
      const n = r.next() < 0.5 ? 6 + r.int(4) : 5;
      for (let k = 0; k < n - 1; k++) parts.push((0x80 | r.int(128)) ^ 0xaa);
      parts.push((n === 5 ? 0x10 + r.int(0x70) : r.int(128)) ^ 0xaa);
    } else if (x < 0.96) {
      // An unterminated run long enough to be discarded, then the stream goes on.
      const n = 1020 + r.int(20);
      for (let k = 0; k < n; k++) parts.push((0x80 | r.int(128)) ^ 0xaa);
      parts.push(r.int(128) ^ 0xaa);
    } else parts.push(...tokenBytes(r.int(128)));
  }
  return Uint8Array.from(parts);
}

describe('IntelligenceEngine egress (SPEC §6.1)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  let n = 0;
  const engineOn = (prefix: string) => {
    const store = freshStore(tmp.dir, `${prefix}-${n++}.bin`);
    return { store, engine: new IntelligenceEngine(info, store, { seed: 1 }) };
  };

  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  it('gives identical records, state and counts for every split of a stream (property)', () => {
    for (let trial = 0; trial < 6; trial++) {
      const r = new Random(1000 + trial);
      const stream = randomStream(r, 3000);
      const whole = engineOn('whole');
      whole.engine.processEgressBulk(stream);
      const expected = recordRows(whole.store);
      const c = whole.engine.counters;
      expect(c.malformed).toBeGreaterThan(0);
      expect(c.oversize).toBeGreaterThan(0);

      const split = engineOn('split');
      let at = 0;
      while (at < stream.length) {
        const len = 1 + r.int(r.next() < 0.2 ? 3 : 400);
        const piece = stream.subarray(at, Math.min(stream.length, at + len));
        if (r.next() < 0.3) for (const b of piece) split.engine.processEgress(b);
        else split.engine.processEgressBulk(piece);
        at += piece.length;
      }
      expect(split.engine.stateIndex).toBe(whole.engine.stateIndex);
      expect(recordRows(split.store)).toEqual(expected);
      const s = split.engine.counters;
      for (const k of ['tokens', 'tokensLearned', 'learnWrites', 'malformed', 'oversize', 'bytes'] as const) expect(s[k]).toBe(c[k]);
      whole.store.close();
      split.store.close();
    }
  });

  it('keys a token by the representative of the state before its first byte, even across calls', () => {
    const { store, engine } = engineOn('key');
    const start = engine.stateIndex;
    const bytes = tokenBytes(30000); // 3 LEB128 bytes
    expect(bytes.length).toBe(3);
    engine.processEgressBulk(bytes.subarray(0, 1));
    engine.processEgress(bytes[1]!);
    engine.processEgressBulk(bytes.subarray(2));
    let s = start;
    for (const b of bytes) s = info.next(s, b ^ 0xaa);
    expect(engine.stateIndex).toBe(s);
    expect([...store.iterEntries()].map(([st, t]) => [st, t])).toEqual([[info.representative(start), 30000]]);
    store.close();
  });

  it('moves the state on [SEP] without learning it, and always writes a new entry', () => {
    const { store, engine } = engineOn('sep');
    const start = engine.stateIndex;
    engine.processEgressBulk(tokenBytes(SEP_ID));
    expect(engine.stateIndex).toBe(info.next(start, SEP_ID));
    expect(store.size).toBe(0);
    // id 1: fold(0, 1) & 0xFE = 0 and novelty 0, yet the new entry is written at (0, 0.1).
    engine.reset();
    engine.processEgress(tokenBytes(1)[0]!);
    const rep = info.representative(start);
    expect(store.get(rep, 1)).toEqual({ mask: 0, conf: 0.1 });
    expect(engine.counters.learnWrites).toBe(1);
    // Learned again from the same state: nothing changes, so the write is skipped.
    const v = store.stateVersion(rep);
    engine.reset();
    engine.processEgress(tokenBytes(1)[0]!);
    expect(engine.counters.tokensLearned).toBe(2);
    expect(engine.counters.learnWrites).toBe(1);
    expect(store.stateVersion(rep)).toBe(v);
    store.close();
  });

  it('records θ after every byte on the single path, final (and middle over 1024 bytes) on the bulk path', () => {
    const { store, engine } = engineOn('theta');
    const stream = idsToBytes(Array.from({ length: 600 }, (_, i) => 1000 + i)); // 1200 bytes
    engine.processEgressBulk(stream.subarray(0, 10));
    expect(engine.theta.count).toBe(1);
    expect(engine.theta.last()).toBe(info.theta(engine.stateIndex));
    engine.reset();
    let s = engine.stateIndex;
    const states: number[] = [];
    for (const b of stream) states.push((s = info.next(s, b ^ 0xaa)));
    engine.processEgressBulk(stream);
    expect(engine.theta.values()).toEqual([info.theta(states[stream.length >>> 1]!), info.theta(states[states.length - 1]!)]);
    engine.reset();
    for (const b of stream.subarray(0, 9)) engine.processEgress(b);
    expect(engine.theta.values()).toEqual(states.slice(1, 9).map((x) => info.theta(x)));
    store.close();
  });

  it('runs hooks after each learned token; a throwing hook is reported, not fatal', () => {
    const { store } = engineOn('hooks');
    const errors: unknown[] = [];
    const quiet = new IntelligenceEngine(info, store, { onHookError: (e) => errors.push(e) });
    const seen: Array<[number, number, number, number]> = [];
    const record: EgressHook = (eng, entry, lastIntron, token, rep) => {
      expect(eng).toBe(quiet);
      expect(store.get(rep, token)).toEqual(entry);
      seen.push([token, rep, lastIntron, entry.mask]);
    };
    const boom: EgressHook = () => {
      throw new Error('boom');
    };
    quiet.addHook(boom);
    quiet.addHook(record);
    quiet.processEgressBulk(idsToBytes([101, 2023, 2003, 102, 1037]));
    expect(seen.map((x) => x[0])).toEqual([101, 2023, 2003, 1037]);
    expect(quiet.counters.hookErrors).toBe(4);
    expect(errors).toHaveLength(4);
    expect(quiet.removeHook(boom)).toBe(true);
    expect(quiet.removeHook(boom)).toBe(false);
    quiet.processEgressBulk(tokenBytes(2000));
    expect(quiet.counters.hookErrors).toBe(4);
    expect(seen).toHaveLength(5);
    store.close();
  });

  it('drops malformed and oversize tokens, counts them, and learns what follows', () => {
    const { store, engine } = engineOn('bad');
    const six = Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01].map((b) => b ^ 0xaa));
    engine.processEgressBulk(six);
    expect(engine.counters.malformed).toBe(1);
    expect(store.size).toBe(0);
    engine.processEgressBulk(new Uint8Array(2000).fill(0xff ^ 0xaa));
    expect(engine.counters.oversize).toBe(1);
    expect(engine.pendingTokenBytes).toBe(2000 - 1024);
    engine.resetTokenBuffer();
    engine.processEgressBulk(tokenBytes(2023));
    expect(store.size).toBe(1);
    expect(engine.counters.tokensLearned).toBe(1);
    store.close();
  });
});
