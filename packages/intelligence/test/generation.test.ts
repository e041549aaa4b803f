import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { OrbitStore, OverlayView, ReadOnlyView, type PhenotypeStore } from '@gyro/store';
import { getTokenizer, tokenBytes } from '@gyro/tokenizer';
import { IntelligenceEngine, type Preferences } from '../src/index.js';
import { CandidateList, scanCandidates, StateScorer, temperatureFromTheta } from '../src/internals.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('generation (SPEC §6.2–6.3)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  let n = 0;
  const { bytes } = licensesStream();

  /** A store that learned the licences, and an engine on it. */
  function learned(preferences: Partial<Preferences> = {}, seed = 5): { store: OrbitStore; engine: IntelligenceEngine } {
    const store = freshStore(tmp.dir, `g${n++}.bin`);
    const engine = new IntelligenceEngine(info, store, { seed, preferences });
    engine.processEgressBulk(bytes);
    return { store, engine };
  }

  /** What a fresh, unbudgeted scan of `rep` keeps. */
  function freshScan(store: PhenotypeStore, rep: number, prefs: Preferences): { tokens: number[]; scores: number[] } {
    const list = new CandidateList(new StateScorer(info, rep), prefs.candidatesPerState);
    scanCandidates(store, list, prefs.scanLimit, 1e9);
    return { tokens: [...list.tokens.subarray(0, list.count)], scores: [...list.scores.subarray(0, list.count)] };
  }

  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  it('a seeded run is reproducible (when no scan meets the time budget)', () => {
    // The budget is a wall-clock cut-off, so a loaded machine could cut a scan short; a huge
    // budget keeps the comparison about the sampler alone.
    const a = learned({ scanBudgetMs: 1e6 }, 42);
    const b = learned({ scanBudgetMs: 1e6 }, 42);
    const xs = Array.from({ length: 60 }, () => a.engine.generateToken());
    expect(Array.from({ length: 60 }, () => b.engine.generateToken())).toEqual(xs);
    expect(b.engine.stateIndex).toBe(a.engine.stateIndex);
    expect(a.engine.counters.budgetCutoffs + b.engine.counters.budgetCutoffs).toBe(0);
    const c = learned({ scanBudgetMs: 1e6 }, 43);
    expect(Array.from({ length: 60 }, () => c.engine.generateToken())).not.toEqual(xs);
    c.store.close();
    a.store.close();
    b.store.close();
  });

  /** Generate `steps` tokens, checking before each that the cached list equals a fresh scan. */
  function checkCacheAgainstScans(store: PhenotypeStore, engine: IntelligenceEngine, steps: number): void {
    const prefs = engine.preferences;
    for (let i = 0; i < steps; i++) {
      const rep = info.representative(engine.stateIndex);
      const list = engine.generator.candidates(rep);
      const fresh = freshScan(store, rep, prefs);
      expect([...list.tokens.subarray(0, list.count)]).toEqual(fresh.tokens);
      expect([...list.scores.subarray(0, list.count)]).toEqual(fresh.scores);
      for (let k = 1; k < list.count; k++) expect(list.scores[k - 1]!).toBeGreaterThanOrEqual(list.scores[k]!);
      engine.generateToken();
    }
    // Feedback learning updated cached lists in place instead of discarding them.
    expect(engine.counters.cacheHits).toBeGreaterThan(steps / 2);
    expect(engine.counters.cacheUpdates).toBeGreaterThan(0);
  }

  it('keeps the top 100 in descending order, and the cache always equals a fresh scan', () => {
    // A huge budget: a loaded machine must not cut a scan the fresh one completes.
    const { store, engine } = learned({ scanBudgetMs: 1e6 });
    checkCacheAgainstScans(store, engine, 200);
    store.close();
    // Small lists and a small scan window exercise the cut-off and window rules.
    const small = learned({ candidatesPerState: 5, scanLimit: 40, scanBudgetMs: 1e6 });
    checkCacheAgainstScans(small.store, small.engine, 200);
    small.store.close();
  });

  it('the cache equals a fresh scan over an overlay too (keys move to the private layer as it learns)', () => {
    const pub = learned();
    pub.store.close();
    const publicStore = OrbitStore.open(pub.store.path, { readOnly: true });
    const privateStore = freshStore(tmp.dir, `priv${n++}.bin`);
    const overlay = new OverlayView(new ReadOnlyView(publicStore), privateStore);
    const engine = new IntelligenceEngine(info, overlay, { seed: 8, preferences: { candidatesPerState: 10, scanLimit: 60, scanBudgetMs: 1e6 } });
    checkCacheAgainstScans(overlay, engine, 150);
    expect(privateStore.size).toBeGreaterThan(0);
    privateStore.close();
    publicStore.close();
  });

  it('scans at most 512 entries and stops at the time budget (counted)', () => {
    const { store, engine } = learned({ scanBudgetMs: 0 });
    const rep = 0; // the largest orbit: 1,952 entries after the licences
    const list = engine.generator.candidates(rep);
    expect(list.complete).toBe(false);
    expect(list.scanned).toBeLessThan(512);
    expect(engine.counters.budgetCutoffs).toBe(1);
    store.close();
    const full = learned();
    const l2 = full.engine.generator.candidates(0);
    expect(l2.scanned).toBe(512);
    expect(l2.count).toBe(100);
    expect(l2.complete).toBe(false);
    full.store.close();
  });

  it('a write by anyone else invalidates exactly the state it touched', () => {
    const { store, engine } = learned();
    const g = engine.generator;
    const small = info.archetypeIndex; // its own orbit: one entry ([CLS]) after the licences
    g.candidates(0);
    expect(g.candidates(small).count).toBe(1);
    const misses = engine.counters.cacheMisses;
    store.put(small, 5555, 0, 0.9);
    g.candidates(0);
    expect(engine.counters.cacheMisses).toBe(misses);
    const list = g.candidates(small);
    expect(engine.counters.cacheMisses).toBe(misses + 1);
    expect(list.count).toBe(2);
    expect(list.indexOf(5555)).toBeGreaterThanOrEqual(0);
    store.close();
  });

  it('falls back to a random ordinary token when a state has no candidates (counted)', () => {
    const store = freshStore(tmp.dir, `empty${n++}.bin`);
    const engine = new IntelligenceEngine(info, store, { seed: 3 });
    const tok = getTokenizer();
    for (let i = 0; i < 50; i++) {
      const id = engine.chooseToken();
      expect(tok.isSpecial(id)).toBe(false);
      expect(tok.idToToken(id)).not.toMatch(/^\[unused/);
    }
    expect(engine.counters.fallbacks).toBe(50);
    store.close();
  });

  it('feeds every emitted token back through egress (the agent learns what it says)', () => {
    const store = freshStore(tmp.dir, `fb${n++}.bin`);
    const engine = new IntelligenceEngine(info, store, { seed: 9 });
    const before = engine.stateIndex;
    const id = engine.generateToken();
    let s = before;
    for (const b of tokenBytes(id)) s = info.next(s, b ^ 0xaa);
    expect(engine.stateIndex).toBe(s);
    expect(store.get(info.representative(before), id)).toBeDefined();
    expect(engine.counters.generatedTokens).toBe(1);
    store.close();
  });

  it('explain ranks every candidate with each term', () => {
    const { store, engine } = learned();
    const all = engine.explain(12345, 0);
    expect(all.rep).toBe(info.representative(12345));
    expect(all.candidates.length).toBe([...store.iterKeysForState(all.rep)].length);
    for (let k = 1; k < all.candidates.length; k++) expect(all.candidates[k - 1]!.score).toBeGreaterThanOrEqual(all.candidates[k]!.score);
    expect(engine.explain(12345, 3).candidates).toEqual(all.candidates.slice(0, 3));
    expect(() => engine.explain(info.size)).toThrow(/out of range/);
    store.close();
  });

  it('temperature follows θ through the sigmoid', () => {
    expect(temperatureFromTheta(0.05, 0.1, 1, 0.05)).toBeCloseTo(0.55, 15);
    expect(temperatureFromTheta(0, 0.1, 1, 0.05)).toBeCloseTo(0.1 + 0.9 / (1 + Math.exp(0.5)), 15);
    expect(temperatureFromTheta(3, 0.1, 1, 0.05)).toBeCloseTo(1, 10);
  });
});
