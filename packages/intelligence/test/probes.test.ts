import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { tokenBytes } from '@gyro/tokenizer';
import { GyroSI, IntelligenceEngine, metrics, metricsSnapshot, setProbeLimit, type Counters } from '../src/index.js';
import { EngineCounters, newCounters } from '../src/internals.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('instrumentation (SPEC §9)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => {
    setProbeLimit(0);
    tmp.cleanup();
  });

  it('the probe prints one line per timed call, for the first N calls of each kind', () => {
    const lines: string[] = [];
    setProbeLimit(2, (l) => lines.push(l));
    const a = new GyroSI(info, freshStore(tmp.dir, 'p.bin'), { seed: 1 });
    a.ingest(licensesStream().bytes);
    a.respondText('the licence', { maxNewTokens: 6 });
    const kinds = (k: string) => lines.filter((l) => l.startsWith(`[probe] ${k} `));
    expect(kinds('candidates').length).toBeGreaterThan(0);
    expect(kinds('candidates').length).toBeLessThanOrEqual(2);
    expect(kinds('feedback')).toHaveLength(2);
    expect(kinds('tokenizer')).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\[probe\] (candidates|feedback|tokenizer) \d+\.\d{3} ms /);
    a.close();
  });

  it("process-wide counters add up every engine's own", () => {
    const before = metricsSnapshot();
    const a = new GyroSI(info, freshStore(tmp.dir, 'm1.bin'), { seed: 2 });
    const b = new GyroSI(info, freshStore(tmp.dir, 'm2.bin'), { seed: 3 });
    a.ingest(licensesStream().bytes);
    b.respondText('hello', { maxNewTokens: 3 });
    a.respondText('the license', { maxNewTokens: 40 }); // generation learns its own tokens: cached lists are updated
    expect(a.engine.counters.cacheUpdates).toBeGreaterThan(0);
    for (const k of ['tokensLearned', 'cacheMisses', 'cacheHits', 'cacheUpdates', 'fallbacks', 'generatedTokens', 'turns', 'malformed'] as const) {
      expect(metrics[k] - before[k]).toBe(a.engine.counters[k] + b.engine.counters[k]);
    }
    expect(b.engine.counters.fallbacks).toBeGreaterThan(0); // b knows nothing
    a.close();
    b.close();
  });

  /** What changed from `before` to `after`, counter by counter (zeros left out). */
  const delta = (before: Counters, after: Counters) =>
    Object.fromEntries((Object.keys(newCounters()) as (keyof Counters)[]).map((k) => [k, after[k] - before[k]]).filter(([, d]) => d !== 0));

  it.each([
    ['absorbed(3)', (c: EngineCounters) => c.absorbed(3), { bytes: 3 }],
    ['token()', (c: EngineCounters) => c.token(), { tokens: 1 }],
    ['learned(true)', (c: EngineCounters) => c.learned(true), { tokensLearned: 1, learnWrites: 1 }],
    ['learned(false)', (c: EngineCounters) => c.learned(false), { tokensLearned: 1 }],
    ['dropped(true)', (c: EngineCounters) => c.dropped(true), { malformed: 1 }],
    ['dropped(false)', (c: EngineCounters) => c.dropped(false), { oversize: 1 }],
    ['hookError()', (c: EngineCounters) => c.hookError(), { hookErrors: 1 }],
    ['cacheLookup(true)', (c: EngineCounters) => c.cacheLookup(true), { cacheHits: 1 }],
    ['cacheLookup(false)', (c: EngineCounters) => c.cacheLookup(false), { cacheMisses: 1 }],
    ['cacheUpdate()', (c: EngineCounters) => c.cacheUpdate(), { cacheUpdates: 1 }],
    ['budgetCutoff()', (c: EngineCounters) => c.budgetCutoff(), { budgetCutoffs: 1 }],
    ['fallback()', (c: EngineCounters) => c.fallback(), { fallbacks: 1 }],
    ['generated(2.5)', (c: EngineCounters) => c.generated(2.5), { generatedTokens: 1, generationMs: 2.5 }],
    ['turn(7)', (c: EngineCounters) => c.turn(7), { turns: 1, turnMs: 7 }],
  ] as const)('one call of %s counts the event once on the engine and once in the process-wide metrics', (_, event, expected) => {
    const c = new EngineCounters();
    const before = metricsSnapshot();
    event(c);
    expect(delta(newCounters(), c)).toEqual(expected);
    expect(delta(before, metricsSnapshot())).toEqual(expected);
    expect({ ...c }).toEqual({ ...newCounters(), ...expected }); // spreads as plain Counters
  });

  it('a learned token, fed byte by byte, bumps each counter exactly once on the engine and in the metrics', () => {
    const store = freshStore(tmp.dir, 'once.bin');
    const engine = new IntelligenceEngine(info, store, { seed: 4 });
    const bytes = tokenBytes(2023);
    const before = metricsSnapshot();
    for (const b of bytes) engine.processEgress(b);
    const expected = { bytes: bytes.length, tokens: 1, tokensLearned: 1, learnWrites: 1 };
    expect(delta(newCounters(), engine.counters)).toEqual(expected);
    expect(delta(before, metricsSnapshot())).toEqual(expected);
    store.close();
  });
});
