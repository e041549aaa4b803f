import { confFromHalfBits } from '../conf.js';
import type { KeyVisitor } from '../contract.js';
import { type KeyIndex, LIVE, VALUE_MASK } from './key-index.js';

/** Every live entry, state by state, each state's keys read straight from its list (no second lookup per key). */
export function* entriesOf(index: KeyIndex): IterableIterator<[number, number, number, number]> {
  for (const state of index.allStates()) {
    const t = index.buckets;
    for (let p = index.headOf(state); p !== 0; p = t[((p - 1) << 2) + 3]!) {
      const o = (p - 1) << 2;
      const v = t[o + 2]!;
      if (v & LIVE) yield [state, t[o + 1]!, (v >>> 16) & 0xff, confFromHalfBits(v & 0xffff)];
    }
  }
}

/** The live tokens of the state whose list starts at bucket `head` (1-based; 0 = none). */
export function* walkState(buckets: Uint32Array, head: number): IterableIterator<number> {
  for (let p = head; p !== 0; ) {
    const o = (p - 1) << 2;
    if (buckets[o + 2]! & LIVE) yield buckets[o + 1]!;
    p = buckets[o + 3]!;
  }
}

/**
 * Call `fn(token, packed)` for the live keys of the state whose list starts at bucket `head`, in
 * list order, until it returns false; `packed` is getPacked's `mask << 16 | confBits`, read from
 * the bucket the walk is on (no second lookup per key). Allocation-free.
 */
export function forEachOfState(buckets: Uint32Array, head: number, fn: KeyVisitor): void {
  for (let p = head; p !== 0; ) {
    const o = (p - 1) << 2;
    const v = buckets[o + 2]!;
    if (v & LIVE && fn(buckets[o + 1]!, v & VALUE_MASK) === false) return;
    p = buckets[o + 3]!;
  }
}

/** Every live entry in table order, conf as stored half bits: one sequential pass. */
export function forEachLive(index: KeyIndex, fn: (state: number, token: number, mask: number, confBits: number) => void): void {
  const t = index.buckets;
  for (let o = 0; o < t.length; o += 4) {
    const v = t[o + 2]!;
    if (v & LIVE) fn(t[o]!, t[o + 1]!, (v >>> 16) & 0xff, v & 0xffff);
  }
}

/** States holding at least one live key. */
export function liveStateCount(index: KeyIndex): number {
  let n = 0;
  for (const state of index.allStates()) if (index.hasLiveKey(state)) n++;
  return n;
}
