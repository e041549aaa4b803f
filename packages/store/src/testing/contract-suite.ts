import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confFromHalfBits, confToHalfBits } from '../conf.js';
import { forEachKeyOfState, type PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError, ReadOnlyStoreError } from '../errors.js';

export type SeedEntry = readonly [state: number, token: number, mask: number, conf: number];
/** A fresh store holding exactly `seed` (written through the store itself when it can write). */
export type StoreFactory = (seed: readonly SeedEntry[]) => PhenotypeStore | Promise<PhenotypeStore>;

/** A temporary folder removed when the test file finishes. */
export function tempStoreDir(prefix = 'gyro-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// States stay below 788,986 and distinct under any pairing map (i → i & ~1) a view test uses.
const SEED: SeedEntry[] = [
  [0, 101, 0, 0.1],
  [0, 0, 6, 1],
  [0, 0xffffffff, 0xfe, 0.123456789],
  [7, 1000, 0x42, 0.5],
  [7, 30521, 0, 0],
  [1000, 5, 0x24, 0.99995],
  [788_985, 102, 0x18, 0.3333],
];
const UNSEEN_STATE = 4242;

const packedOf = (mask: number, conf: number) => (mask << 16) | confToHalfBits(conf);
const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);
const tokensOf = (seed: readonly SeedEntry[], state: number) => seed.filter((e) => e[0] === state).map((e) => e[1]);

/** What the stores a factory returns can do; the tests of what they cannot are skipped (and say so). */
export interface StoreCapabilities {
  /**
   * The store accepts put and delete (default true). A read-only store (`writable: false`) runs
   * the read tests and one that checks it refuses every write and changes nothing; the write
   * tests show as skipped. Either way the suite first checks `store.readOnly` says the same.
   */
  writable?: boolean;
}

/**
 * The behaviour every PhenotypeStore shares (SPEC §4). Each test gets a fresh store from
 * `factory` holding the seed. `capabilities` says what the stores can do (see
 * StoreCapabilities); a test that does not apply is skipped with `it.skipIf`, never passed
 * without asserting. Called with two arguments, as before, the stores must be writable.
 */
export function runStoreContractSuite(name: string, factory: StoreFactory, capabilities: StoreCapabilities = {}): void {
  const writable = capabilities.writable ?? true;
  describe(`PhenotypeStore contract: ${name}`, () => {
    let open: PhenotypeStore[] = [];
    const make = async (seed: readonly SeedEntry[] = SEED) => {
      const store = await factory(seed);
      open.push(store);
      return store;
    };
    beforeEach(() => expect.hasAssertions()); // no test passes without asserting
    afterEach(() => {
      for (const s of open) s.close();
      open = [];
    });

    it('reads back every seeded entry quantised to half precision', async () => {
      const store = await make();
      expect(store.size).toBe(SEED.length);
      for (const [s, t, m, c] of SEED) {
        expect(store.get(s, t)).toEqual({ mask: m, conf: confFromHalfBits(confToHalfBits(c)) });
        expect(store.getPacked(s, t)).toBe(packedOf(m, c));
      }
      expect(store.get(0, 999)).toBeUndefined();
      expect(store.getPacked(0, 999)).toBe(-1);
      expect(store.getPacked(UNSEEN_STATE, 101)).toBe(-1);
    });

    it('iterEntries yields each live entry once, under a key that reads it back', async () => {
      const store = await make();
      const entries = [...store.iterEntries()];
      // A view may list entries under the key it stores them by (CanonicalView: the representative).
      for (const [s, t, m, c] of entries) expect(store.get(s, t)).toEqual({ mask: m, conf: c });
      expect(new Set(entries.map(([s, t]) => `${s}/${t}`)).size).toBe(entries.length);
      const got = entries.map(([, t, m, c]) => `${t}/${m}/${c}`).sort();
      const want = SEED.map(([, t, m, c]) => `${t}/${m}/${confFromHalfBits(confToHalfBits(c))}`).sort();
      expect(got).toEqual(want);
      expect(entries.length).toBe(store.size);
    });

    it('iterKeysForState yields exactly the tokens of that state', async () => {
      const store = await make();
      for (const state of [0, 7, 1000, 788_985]) expect(sorted(store.iterKeysForState(state))).toEqual(sorted(tokensOf(SEED, state)));
      expect([...store.iterKeysForState(UNSEEN_STATE)]).toEqual([]);
    });

    it('forEachKeyOfState visits iterKeysForState keys in order with getPacked values, and stops on false', async () => {
      const store = await make();
      for (const state of [0, 7, 1000, 788_985, UNSEEN_STATE]) {
        const want = [...store.iterKeysForState(state)].map((t) => [t, store.getPacked(state, t)]);
        const got: number[][] = [];
        forEachKeyOfState(store, state, (t, packed) => void got.push([t, packed]));
        expect(got).toEqual(want);
        const first: number[] = [];
        forEachKeyOfState(store, state, (t) => first.push(t) < 1);
        expect(first).toEqual(want.slice(0, 1).map(([t]) => t));
      }
    });

    it('an empty store is empty', async () => {
      const store = await make([]);
      expect(store.size).toBe(0);
      expect([...store.iterEntries()]).toEqual([]);
      expect([...store.iterKeysForState(0)]).toEqual([]);
      expect(store.get(0, 101)).toBeUndefined();
    });

    it('reads never change a state version', async () => {
      const store = await make();
      const before = store.stateVersion(7);
      store.get(7, 1000);
      [...store.iterKeysForState(7)];
      [...store.iterEntries()];
      expect(store.stateVersion(7)).toBe(before);
    });

    it(`declares what it is: readOnly is ${!writable}`, async () => {
      const store = await make();
      expect(store.readOnly).toBe(!writable);
    });

    it.skipIf(!writable)('accepts a put (writable stores)', async () => {
      const store = await make();
      store.put(UNSEEN_STATE, 1, 2, 0.25);
      expect(store.get(UNSEEN_STATE, 1)).toEqual({ mask: 2, conf: 0.25 });
    });

    it.skipIf(writable)('refuses every write and changes nothing (read-only stores)', async () => {
      const store = await make();
      const v = store.stateVersion(7);
      expect(() => store.put(7, 1000, 0, 0.9)).toThrow(ReadOnlyStoreError);
      expect(() => store.put(UNSEEN_STATE, 1, 0, 0.9)).toThrow(ReadOnlyStoreError);
      expect(() => store.delete(7, 1000)).toThrow(ReadOnlyStoreError);
      expect(store.get(7, 1000)).toEqual({ mask: 0x42, conf: 0.5 });
      expect(store.get(UNSEEN_STATE, 1)).toBeUndefined();
      expect(store.size).toBe(SEED.length);
      expect(store.stateVersion(7)).toBe(v);
      store.commit();
      store.flush();
      expect(store.size).toBe(SEED.length);
    });

    describe.skipIf(!writable)('writes (writable stores)', () => {
      const writableStore = async () => {
        const store = await make();
        expect(store.readOnly).toBe(false);
        return store;
      };

      it('put quantises at once: the value read never depends on flushing', async () => {
        const store = await writableStore();
        store.put(UNSEEN_STATE, 7, 0x10, 0.123456789);
        const before = store.get(UNSEEN_STATE, 7);
        expect(before).toEqual({ mask: 0x10, conf: confFromHalfBits(confToHalfBits(0.123456789)) });
        expect(before!.conf).toBe(0.1235);
        store.commit();
        store.flush();
        expect(store.get(UNSEEN_STATE, 7)).toEqual(before);
      });

      it('the newest put of a key wins and the key is listed once', async () => {
        const store = await writableStore();
        store.put(7, 1000, 0x06, 0.75);
        store.put(7, 1000, 0x08, 0.8);
        expect(store.get(7, 1000)).toEqual({ mask: 0x08, conf: 0.7998 });
        expect(store.size).toBe(SEED.length);
        expect(sorted(store.iterKeysForState(7))).toEqual(sorted(tokensOf(SEED, 7)));
      });

      it('new keys join their state only', async () => {
        const store = await writableStore();
        store.put(7, 42, 0, 0.1);
        store.put(UNSEEN_STATE, 42, 0, 0.1);
        expect(store.size).toBe(SEED.length + 2);
        expect(sorted(store.iterKeysForState(7))).toEqual(sorted([...tokensOf(SEED, 7), 42]));
        expect([...store.iterKeysForState(UNSEEN_STATE)]).toEqual([42]);
        expect(sorted(store.iterKeysForState(0))).toEqual(sorted(tokensOf(SEED, 0)));
      });

      it('every put and delete changes its state version and no other', async () => {
        const store = await writableStore();
        const v7 = store.stateVersion(7);
        const v0 = store.stateVersion(0);
        const seen = new Set([v7]);
        for (const conf of [0.5, 0.5, 0.6]) {
          store.put(7, 1000, 0x42, conf); // the same value again still counts as a write
          const v = store.stateVersion(7);
          expect(seen.has(v)).toBe(false);
          seen.add(v);
        }
        store.delete(7, 1000);
        expect(seen.has(store.stateVersion(7))).toBe(false);
        expect(store.stateVersion(0)).toBe(v0);
        const vu = store.stateVersion(UNSEEN_STATE);
        store.put(UNSEEN_STATE, 1, 0, 0.1);
        expect(store.stateVersion(UNSEEN_STATE)).not.toBe(vu);
      });

      it('delete removes a key and reports whether it existed', async () => {
        const store = await writableStore();
        expect(store.delete(7, 1000)).toBe(true);
        expect(store.get(7, 1000)).toBeUndefined();
        expect(store.getPacked(7, 1000)).toBe(-1);
        expect(store.size).toBe(SEED.length - 1);
        expect(sorted(store.iterKeysForState(7))).toEqual([30521]);
        expect([...store.iterEntries()].some(([s, t]) => s === 7 && t === 1000)).toBe(false);
        expect(store.delete(7, 1000)).toBe(false);
        expect(store.delete(UNSEEN_STATE, 1)).toBe(false);
        store.put(7, 1000, 0x02, 0.2);
        expect(store.get(7, 1000)).toEqual({ mask: 0x02, conf: 0.2 });
        expect(sorted(store.iterKeysForState(7))).toEqual([1000, 30521]);
      });

      it('refuses values outside the record format and changes nothing', async () => {
        const store = await writableStore();
        const v = store.stateVersion(7);
        for (const [s, t, m, c] of [
          [7, 1, 0, 1.5],
          [7, 1, 0, -0.1],
          [7, 1, 0, Number.NaN],
          [7, 1, 256, 0.5],
          [7, 1, 1.5, 0.5],
          [7, -1, 0, 0.5],
          [7, 2 ** 32, 0, 0.5],
        ] as const) {
          expect(() => store.put(s, t, m, c)).toThrow(InvalidPhenotypeError);
        }
        expect(store.size).toBe(SEED.length);
        expect(store.stateVersion(7)).toBe(v);
      });

      it('many keys in one state survive growth and commits', async () => {
        const store = await writableStore();
        for (let t = 0; t < 3000; t++) store.put(UNSEEN_STATE, t, t & 0xfe, (t % 100) / 100);
        store.commit();
        for (let t = 0; t < 3000; t += 2) store.delete(UNSEEN_STATE, t);
        store.flush();
        expect(store.size).toBe(SEED.length + 1500);
        const keys = [...store.iterKeysForState(UNSEEN_STATE)];
        expect(keys.length).toBe(1500);
        expect(keys.every((t) => t % 2 === 1)).toBe(true);
        expect(store.get(UNSEEN_STATE, 2999)).toEqual({ mask: 2999 & 0xfe, conf: confFromHalfBits(confToHalfBits(0.99)) });
        for (const [s, t, m, c] of SEED) expect(store.getPacked(s, t)).toBe(packedOf(m, c));
      });
    });
  });
}
