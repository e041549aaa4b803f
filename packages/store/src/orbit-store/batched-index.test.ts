// OrbitStore hands puts to its key index in batches (see put); until then gets find them among
// the pending records. These tests drive random operation sequences across batch and write
// boundaries and compare every answer with a plain model, then reopen the file and compare again.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confFromHalfBits, confToHalfBits } from '../conf.js';
import { tempStoreDir } from '../testing.js';
import { OrbitStore } from './OrbitStore.js';

const dir = tempStoreDir();
let n = 0;

/** A tiny deterministic generator (the same sequence on every run). */
function lcg(seed: number) {
  let x = seed >>> 0;
  return (k: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % k;
  };
}

type Model = Map<string, { mask: number; conf: number }>;
const key = (s: number, t: number) => `${s}:${t}`;

function checkAgainst(store: OrbitStore, model: Model, states: number, tokens: number): void {
  for (let s = 0; s < states; s++) {
    const listed = [...store.iterKeysForState(s)].sort((a, b) => a - b);
    const expected: number[] = [];
    for (let t = 0; t < tokens; t++) {
      const want = model.get(key(s, t));
      expect(store.get(s, t), `get(${s}, ${t})`).toEqual(want);
      if (want) expected.push(t);
    }
    expect(listed, `keys of state ${s}`).toEqual(expected);
  }
  expect(store.size).toBe(model.size);
}

describe('OrbitStore batched indexing', () => {
  for (const threshold of [1, 7, 100, 1000]) {
    it(`agrees with a model on random puts, deletes and reads (writeThreshold ${threshold}), before and after reopening`, () => {
      const path = join(dir, `random-${n++}.bin`);
      const store = OrbitStore.open(path, { writeThreshold: threshold });
      const model: Model = new Map();
      const rand = lcg(threshold * 7919 + 1);
      const STATES = 5;
      const TOKENS = 40; // few keys: the same key often recurs inside one batch
      for (let op = 0; op < 6000; op++) {
        const s = rand(STATES);
        const t = rand(TOKENS);
        const roll = rand(100);
        if (roll < 60) {
          const mask = rand(128) * 2;
          const conf = rand(1001) / 1000;
          store.put(s, t, mask, conf);
          model.set(key(s, t), { mask, conf: confFromHalfBits(confToHalfBits(conf)) });
        } else if (roll < 75) {
          expect(store.delete(s, t), `delete(${s}, ${t}) at op ${op}`).toBe(model.delete(key(s, t)));
        } else if (roll < 97) {
          expect(store.get(s, t), `get(${s}, ${t}) at op ${op}`).toEqual(model.get(key(s, t)));
        } else {
          const listed = [...store.iterKeysForState(s)].sort((a, b) => a - b);
          const expected = [...model.keys()]
            .filter((k) => k.startsWith(`${s}:`))
            .map((k) => Number(k.split(':')[1]))
            .sort((a, b) => a - b);
          expect(listed, `keys of state ${s} at op ${op}`).toEqual(expected);
        }
      }
      checkAgainst(store, model, STATES, TOKENS);
      store.close();
      const again = OrbitStore.open(path, { readOnly: true });
      checkAgainst(again, model, STATES, TOKENS);
      again.close();
      const fromLog = OrbitStore.open(path, { readOnly: true, sidecar: false });
      checkAgainst(fromLog, model, STATES, TOKENS);
      fromLog.close();
    });
  }

  it('lists a state in first-put order when new keys arrive in one batch, and a key put twice keeps its last value', () => {
    const store = OrbitStore.open(join(dir, `order-${n++}.bin`), { writeThreshold: 1000 });
    const order = [9, 3, 7, 3, 1, 9, 4];
    order.forEach((t, i) => {
      store.put(42, t, 0, i / 10);
    });
    expect(store.get(42, 3)?.conf).toBe(confFromHalfBits(confToHalfBits(0.3))); // before indexing
    expect([...store.iterKeysForState(42)]).toEqual([9, 3, 7, 1, 4]);
    expect(store.get(42, 9)?.conf).toBe(confFromHalfBits(confToHalfBits(0.5)));
    expect(store.get(42, 3)?.conf).toBe(confFromHalfBits(confToHalfBits(0.3)));
    store.close();
  });

  it('bumps the state version at the put itself, before the index sees it', () => {
    const store = OrbitStore.open(join(dir, `version-${n++}.bin`), { writeThreshold: 1000 });
    const before = store.stateVersion(5);
    store.put(5, 1, 0, 0.5);
    const after = store.stateVersion(5);
    expect(after).not.toBe(before);
    expect(store.getPacked(5, 1)).toBe(confToHalfBits(0.5));
    store.close();
  });
});
