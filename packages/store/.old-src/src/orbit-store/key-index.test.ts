import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.js';

// A small deterministic generator so failures reproduce.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

describe('KeyIndex', () => {
  it('agrees with a Map model through growth, deletes, revivals and rehashes', () => {
    const index = new KeyIndex();
    const model = new Map<string, number>();
    const next = rng(7);
    for (let i = 0; i < 60_000; i++) {
      const state = next() % 50;
      const token = next() % 400;
      const key = `${state}/${token}`;
      if (next() % 4 === 0) {
        expect(index.delete(state, token)).toBe(model.delete(key));
      } else {
        const value = next() & 0xffffff;
        index.set(state, token, value);
        model.set(key, value);
      }
    }
    expect(index.live).toBe(model.size);
    for (let state = 0; state < 50; state++) {
      for (let token = 0; token < 400; token++) {
        expect(index.getPacked(state, token)).toBe(model.get(`${state}/${token}`) ?? -1);
      }
      const { count, out } = index.tokensOf(state, new Uint32Array(1));
      const want = [...model.keys()].filter((k) => k.startsWith(`${state}/`)).map((k) => Number(k.split('/')[1]));
      expect([...out.subarray(0, count)].sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
    }
  });

  it('lists a state in first-insertion order across rehashes', () => {
    const index = new KeyIndex();
    const tokens: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const token = (i * 7919) % 100_003;
      tokens.push(token);
      index.set(3, token, i);
      index.set(4 + (i % 10), token, i); // other states interleaved
    }
    const { count, out } = index.tokensOf(3, new Uint32Array(16));
    expect([...out.subarray(0, count)]).toEqual(tokens);
  });

  it('handles the full uint32 range of keys, zero included', () => {
    const index = new KeyIndex();
    index.set(0, 0, 1);
    index.set(0xffffffff, 0xffffffff, 2);
    index.set(0, 0xffffffff, 3);
    expect(index.getPacked(0, 0)).toBe(1);
    expect(index.getPacked(0xffffffff, 0xffffffff)).toBe(2);
    expect(index.getPacked(0, 0xffffffff)).toBe(3);
    expect(index.getPacked(0xffffffff, 0)).toBe(-1);
    expect(index.stateVersion(0xffffffff)).toBeGreaterThan(0);
    expect(index.stateVersion(5)).toBe(0);
  });

  it('keeps at most 24 bytes per entry once sized for its entries and trimmed', () => {
    const n = 200_000;
    const index = new KeyIndex(n);
    for (let i = 0; i < n; i++) index.set(i % 1000, i, 1);
    // The state table starts sized for min(n, ONTOLOGY_SIZE) states (as a replay needs);
    // trim(), which the store calls after building from the log, gives back the unused part.
    index.trim();
    expect(index.bytes / n).toBeLessThanOrEqual(24.5);
    for (let i = 0; i < n; i += 997) expect(index.getPacked(i % 1000, i)).toBe(1);
    expect([...index.allStates()].length).toBe(1000);
  });
});

describe('KeyIndex versions', () => {
  it('never go back as the counters grow, and change on each write', () => {
    const index = new KeyIndex();
    index.set(1, 1, 0);
    let last = index.stateVersion(1);
    for (let s = 100; s < 20_000; s++) {
      index.set(s, 0, 0); // the counters double several times on the way
      const v = index.stateVersion(1);
      expect(v).toBeGreaterThanOrEqual(last); // shared counters may move it on, never back
      last = v;
    }
    expect(index.versions.length).toBe(1 << 16);
    index.set(1, 1, 5);
    expect(index.stateVersion(1)).toBeGreaterThan(last);
  });
});
