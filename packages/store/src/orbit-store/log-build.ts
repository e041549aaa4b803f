import * as information from '@gyro/information';
import * as record from '../record.js';
import * as keyIndex from './key-index.js';
import type { KeyIndex } from './key-index.js';

// Module-local copies of what the hot loops below use. Run from the sources (one module per
// file, as the benchmarks and tests do), an imported binding is re-read on every use and calls
// through it are not inlined: sorting and placing took 1.3-2× as long, linking 3× (measured).
const { DEAD, LIVE, hashKey } = keyIndex;
const { LIVE_PAD, TOMBSTONE_PAD } = record;
/** States below this (the physics states) keep their list ends in arrays, others in maps. */
const PHYSICS_STATES = information.ONTOLOGY_SIZE;

/** Key-table regions a chunk's records are sorted into (by the top bits of their hash). */
const REGION_BITS = 12;
const REGIONS = 1 << REGION_BITS;
/** Sorted records whose home buckets are loaded together before they are placed (a power of two). */
const GROUP = 32;

/**
 * Builds an empty KeyIndex from a whole log, chunk by chunk, with the same contents as
 * place()/unplace() record by record would give: the same live keys and values, dead keys
 * where the log deleted them, the same state table and every state's keys in first-put order.
 * Only the buckets that colliding keys end up in may differ. It is what opening a 10 M-record
 * store without its sidecar spends its time on.
 *
 * Record by record, each record costs a few random accesses to tables of hundreds of MB, and on
 * a VM every one is a page walk that barely overlaps with the next. Here each chunk is first
 * sorted (stably, a counting sort) by the key-table region its bucket lies in, and placed in
 * that order, a group at a time with the group's buckets loaded together: the chunk sweeps the
 * table once instead of jumping around it, and a key's records keep their order since they
 * share a region. New keys join their states' lists afterwards, in record order, with the
 * states' heads and tails kept in arrays indexed by state; the state table is filled at the
 * end, in the order the states first appeared, as the record-by-record build would fill it.
 */
export class LogIndexBuilder {
  private readonly t: Uint32Array;
  private readonly cap: number;
  private readonly scale: number;
  private readonly shift = 32 - REGION_BITS;
  // Per chunk, reused: each record's hash, then the chunk sorted by region.
  private readonly hashes: Uint32Array;
  private readonly sorted: Uint32Array; // state, token, word 2, home bucket, record number
  private readonly firstPut: Uint32Array; // bucket + 1 of each record that inserted a new key
  private readonly counts = new Uint32Array(REGIONS + 1);
  // Per state: head and tail bucket + 1 (physics states by index, others in maps).
  private readonly heads = new Uint32Array(PHYSICS_STATES);
  private readonly tails = new Uint32Array(PHYSICS_STATES);
  private readonly otherHeads = new Map<number, number>();
  private readonly otherTails = new Map<number, number>();
  /** States in the order their first key was inserted. */
  private order = new Uint32Array(1024);
  private stateCount = 0;
  private live: number;
  private used: number;
  /** Tombstone records seen. */
  tombstones = 0;

  /** `index` must be empty and have room for `records` keys (KeyIndex(records) has). */
  constructor(
    private readonly index: KeyIndex,
    records: number,
    chunkRecords: number,
  ) {
    if (index.used !== 0 || index.stateCount !== 0) throw new Error('LogIndexBuilder needs an empty index');
    index.reserve(records);
    this.t = index.buckets;
    this.cap = this.t.length >>> 2;
    this.scale = this.cap / 2 ** 32;
    const c = Math.min(chunkRecords, Math.max(records, 1));
    this.hashes = new Uint32Array(c);
    this.sorted = new Uint32Array(c * 5);
    this.firstPut = new Uint32Array(c);
    this.live = index.live;
    this.used = index.used;
  }

  /**
   * Apply records [0, n) of `words` (3 words each: state, token, word 2 as in record.ts), n at
   * most the chunk size given to the constructor.
   * Returns -1, or the first record whose pad byte is neither live nor tombstone: then nothing
   * of this chunk was applied.
   */
  add(words: Uint32Array, n: number): number {
    if (n > this.hashes.length) throw new RangeError(`a chunk of ${n} records; this builder takes at most ${this.hashes.length}`);
    const bad = this.sortByRegion(words, n);
    if (bad >= 0) return bad;
    this.place(n);
    this.link(words, n);
    return -1;
  }

  /** Fill the state table and the index's counters. */
  finish(): void {
    for (let k = 0; k < this.stateCount; k++) {
      const state = this.order[k]!;
      if (state < PHYSICS_STATES) this.index.adoptState(state, this.heads[state]!, this.tails[state]!);
      else this.index.adoptState(state, this.otherHeads.get(state)!, this.otherTails.get(state)!);
    }
    this.index.live = this.live;
    this.index.used = this.used;
  }

  /** Also counts tombstones; returns the first record with an unknown pad byte, or -1. */
  private sortByRegion(words: Uint32Array, n: number): number {
    const { hashes, counts, sorted, shift, scale } = this;
    counts.fill(0);
    let tombstones = 0;
    for (let r = 0, o = 0; r < n; r++, o += 3) {
      const pad = words[o + 2]! >>> 24;
      if (pad === TOMBSTONE_PAD) tombstones++;
      else if (pad !== LIVE_PAD) return r;
      const h = hashKey(words[o]!, words[o + 1]!);
      hashes[r] = h;
      counts[(h >>> shift) + 1]!++;
    }
    for (let g = 1; g <= REGIONS; g++) counts[g]! += counts[g - 1]!;
    for (let r = 0, o = 0; r < n; r++, o += 3) {
      const h = hashes[r]!;
      const q = counts[h >>> shift]!++ * 5;
      sorted[q] = words[o]!;
      sorted[q + 1] = words[o + 1]!;
      sorted[q + 2] = words[o + 2]!;
      sorted[q + 3] = (h * scale) >>> 0;
      sorted[q + 4] = r;
    }
    this.tombstones += tombstones;
    return -1;
  }

  private place(n: number): void {
    const { t, cap, sorted, firstPut } = this;
    let live = this.live;
    let used = this.used;
    let sink = 0;
    for (let k = 0; k < n; k++) {
      if ((k & (GROUP - 1)) === 0) {
        // Independent loads of the group's home buckets: their cache misses overlap.
        const end = Math.min(n, k + GROUP) * 5;
        for (let q = k * 5 + 3; q < end; q += 5) sink ^= t[(sorted[q]! << 2) + 2]!;
      }
      const q = k * 5;
      const state = sorted[q]!;
      const token = sorted[q + 1]!;
      const w = sorted[q + 2]!;
      const r = sorted[q + 4]!;
      const put = w >>> 24 === LIVE_PAD;
      firstPut[r] = 0;
      for (let b = sorted[q + 3]!; ; ) {
        const at = b << 2;
        const v = t[at + 2]!;
        if (v === 0) {
          if (put) {
            t[at] = state;
            t[at + 1] = token;
            t[at + 2] = LIVE | ((w & 0xff) << 16) | (w >>> 8);
            t[at + 3] = 0;
            live++;
            used++;
            firstPut[r] = b + 1;
          }
          break;
        }
        if (t[at] === state && t[at + 1] === token) {
          if (put) {
            if (v & DEAD) live++;
            t[at + 2] = LIVE | ((w & 0xff) << 16) | (w >>> 8);
          } else if (v & LIVE) {
            t[at + 2] = DEAD;
            live--;
          }
          break;
        }
        if (++b === cap) b = 0;
      }
    }
    this.live = live;
    this.used = used;
    if (sink === 0.5) this.live = -1; // never: keeps the group loads alive
  }

  /** Link the chunk's new keys to their states' tails, in record order. */
  private link(words: Uint32Array, n: number): void {
    const { t, heads, tails, firstPut } = this;
    for (let r = 0; r < n; r++) {
      const b1 = firstPut[r]!;
      if (b1 === 0) continue;
      const state = words[r * 3]!;
      if (state >= PHYSICS_STATES) {
        this.linkOther(state, b1);
        continue;
      }
      const tail = tails[state]!;
      if (tail === 0) {
        heads[state] = b1;
        this.appear(state);
      } else t[((tail - 1) << 2) + 3] = b1;
      tails[state] = b1;
    }
  }

  private linkOther(state: number, b1: number): void {
    const tail = this.otherTails.get(state);
    if (tail === undefined) {
      this.otherHeads.set(state, b1);
      this.appear(state);
    } else this.t[((tail - 1) << 2) + 3] = b1;
    this.otherTails.set(state, b1);
  }

  private appear(state: number): void {
    if (this.stateCount === this.order.length) {
      const grown = new Uint32Array(this.order.length * 2);
      grown.set(this.order);
      this.order = grown;
    }
    this.order[this.stateCount++] = state;
  }
}
