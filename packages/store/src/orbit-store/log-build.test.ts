import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ONTOLOGY_SIZE } from '@gyro/information';
import { describe, expect, it } from 'vitest';
import { CorruptStoreError } from '../errors.js';
import { LIVE_PAD, TOMBSTONE_PAD, recordWord2 } from '../record.js';
import { tempStoreDir } from '../testing.js';
import { KeyIndex } from './key-index.js';
import { LogIndexBuilder } from './log-build.js';
import { OrbitStore } from './OrbitStore.js';
import { BULK_BUILD_MIN_RECORDS } from './replay.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

/** A log of n records as words: puts, overwrites, tombstones (some of absent keys) and revivals. */
function randomLog(n: number, seed: number, states: number[], tokens: number): Uint32Array {
  const next = rng(seed);
  const words = new Uint32Array(n * 3);
  for (let r = 0; r < n; r++) {
    words[r * 3] = states[next() % states.length]!;
    words[r * 3 + 1] = next() % tokens;
    const tombstone = next() % 5 === 0;
    words[r * 3 + 2] = tombstone ? recordWord2(1, 0, TOMBSTONE_PAD) : recordWord2(next() & 0xff, next() & 0xffff, LIVE_PAD);
  }
  return words;
}

/** The record-by-record replay the builder must agree with. */
function replayOneByOne(words: Uint32Array): KeyIndex {
  const index = new KeyIndex(words.length / 3);
  for (let o = 0; o < words.length; o += 3) {
    const w = words[o + 2]!;
    if (w >>> 24 === TOMBSTONE_PAD) index.unplace(words[o]!, words[o + 1]!);
    else index.place(words[o]!, words[o + 1]!, ((w & 0xff) << 16) | (w >>> 8));
  }
  return index;
}

function buildInChunks(words: Uint32Array, chunk: number): { index: KeyIndex; tombstones: number } {
  const n = words.length / 3;
  const index = new KeyIndex(n);
  const builder = new LogIndexBuilder(index, n, chunk);
  for (let r = 0; r < n; r += chunk) {
    const m = Math.min(chunk, n - r);
    expect(builder.add(words.slice(r * 3, (r + m) * 3), m)).toBe(-1);
  }
  builder.finish();
  return { index, tombstones: builder.tombstones };
}

/** Everything observable: counters, the state table's order, every list with dead keys and values (not which bucket a key sits in). */
function contents(index: KeyIndex): unknown {
  const lists = [...index.allStates()].map((state) => {
    const list: number[] = [];
    for (let p = index.headOf(state); p !== 0; p = index.buckets[((p - 1) << 2) + 3]!) {
      const o = (p - 1) << 2;
      expect(index.buckets[o]).toBe(state);
      list.push(index.buckets[o + 1]!, index.buckets[o + 2]!);
    }
    return [state, list];
  });
  return { live: index.live, used: index.used, stateCount: index.stateCount, lists };
}

describe('LogIndexBuilder', () => {
  const physics = [0, 1, 2, 77, 1000, ONTOLOGY_SIZE - 1];
  const wide = [...physics, ONTOLOGY_SIZE, 0xfffffffe, 0xffffffff];
  for (const [name, states, tokens, n, chunk] of [
    ['a few states, many collisions, one chunk', physics, 40, 2_000, 1 << 18],
    ['a few states, chunks of 7 records', physics, 40, 2_000, 7],
    ['states beyond the physics range, chunks of 64', wide, 300, 20_000, 64],
    ['many states and keys, chunks of 1,000', Array.from({ length: 5000 }, (_, i) => (i * 157) % ONTOLOGY_SIZE), 50, 60_000, 1000],
  ] as const) {
    it(`gives what record-by-record replay gives: ${name}`, () => {
      const words = randomLog(n, n + chunk, [...states], tokens);
      const built = buildInChunks(words, chunk);
      const want = replayOneByOne(words);
      expect(contents(built.index)).toEqual(contents(want));
      let tombstones = 0;
      for (let o = 2; o < words.length; o += 3) if (words[o]! >>> 24 === TOMBSTONE_PAD) tombstones++;
      expect(built.tombstones).toBe(tombstones);
      for (let o = 0; o < words.length; o += 3) {
        expect(built.index.getPacked(words[o]!, words[o + 1]!)).toBe(want.getPacked(words[o]!, words[o + 1]!));
      }
    });
  }

  it('accepts later puts and deletes like an index built record by record', () => {
    const words = randomLog(5_000, 3, physics, 60);
    const built = buildInChunks(words, 100).index;
    const want = replayOneByOne(words);
    const next = rng(11);
    for (let i = 0; i < 20_000; i++) {
      const state = physics[next() % physics.length]!;
      const token = next() % 90;
      if (next() % 3 === 0) expect(built.delete(state, token)).toBe(want.delete(state, token));
      else {
        built.set(state, token, i & 0xffffff);
        want.set(state, token, i & 0xffffff);
      }
    }
    expect(contents(built)).toEqual(contents(want));
  });

  it('reports the first record with an unknown pad byte and applies nothing of its chunk', () => {
    const words = randomLog(10, 5, physics, 10);
    words[6 * 3 + 2] = recordWord2(0, 0, 0x7f);
    const index = new KeyIndex(10);
    const builder = new LogIndexBuilder(index, 10, 16);
    expect(builder.add(words, 10)).toBe(6);
    builder.finish();
    expect(index.live).toBe(0);
    expect(index.allStates().length).toBe(0);
  });

  it('is what OrbitStore.open uses on a long log: every entry and order as record by record', () => {
    // Past the bulk threshold, so the production chunk and region sizes run, over 9 chunks.
    const n = BULK_BUILD_MIN_RECORDS + 5_000;
    const states = Array.from({ length: 60_000 }, (_, i) => (i * 13) % ONTOLOGY_SIZE);
    const words = randomLog(n, 99, states, 40);
    const path = join(tempStoreDir(), 'long.bin');
    writeFileSync(path, new Uint8Array(words.buffer));
    const store = OrbitStore.open(path, { readOnly: true, sidecar: false });
    const want = replayOneByOne(words);
    want.trim(); // as OrbitStore.open does after building from the log
    expect(store.size).toBe(want.live);
    const entries: number[] = [];
    for (const [state, token, mask, conf] of store.iterEntries()) entries.push(state, token, mask, conf);
    const expected: number[] = [];
    for (const state of want.allStates()) {
      const { count, out } = want.tokensOf(state, new Uint32Array(64));
      for (const token of out.subarray(0, count)) {
        const packed = want.getPacked(state, token);
        expected.push(state, token, packed >>> 16, store.get(state, token)!.conf);
      }
    }
    // Compared by hand: a failing toEqual on arrays of a million numbers takes minutes to diff.
    expect(entries.length).toBe(expected.length);
    const first = entries.findIndex((x, i) => x !== expected[i]);
    expect(first < 0 ? [] : entries.slice(first, first + 8)).toEqual(first < 0 ? [] : expected.slice(first, first + 8));
    store.close();
  });

  it("a long log with an unknown pad byte fails to open with the record's byte offset, and the file is left as it was", () => {
    const n = BULK_BUILD_MIN_RECORDS + 10;
    const words = randomLog(n, 5, [1, 2, 3], 1000);
    const bad = 3 * 262_144 + 17; // in the fourth chunk the bulk build reads
    words[bad * 3 + 2] = recordWord2(0, 0, 0x42);
    const path = join(tempStoreDir(), 'bad-pad.bin');
    const bytes = new Uint8Array(words.buffer);
    writeFileSync(path, bytes);
    let error: unknown;
    try {
      OrbitStore.open(path, { sidecar: false });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CorruptStoreError);
    expect((error as CorruptStoreError).offset).toBe(bad * 12);
    expect((error as CorruptStoreError).message).toContain('unknown pad byte 0x42');
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
  });

  it('refuses a chunk larger than it was sized for', () => {
    const builder = new LogIndexBuilder(new KeyIndex(100), 100, 8);
    expect(() => builder.add(randomLog(9, 1, physics, 10), 9)).toThrow(RangeError);
  });

  it('refuses an index that is not empty', () => {
    const index = new KeyIndex(4);
    index.place(1, 2, 3);
    expect(() => new LogIndexBuilder(index, 4, 4)).toThrow(/empty/);
  });
});
