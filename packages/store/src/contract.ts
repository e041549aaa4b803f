/**
 * The phenotype store contract (SPEC §4). Keys are (stateIndex, tokenId), both uint32.
 * A value is an 8-bit mask and a confidence kept as IEEE half bits; reads return the
 * confidence normalised to 4 decimals (SPEC §4.1).
 *
 * Every backend and view implements this interface and runs the shared contract suite
 * (`@gyro/store/testing`).
 */
export interface Phenotype {
  mask: number;
  /** Confidence as read: half value rounded to 4 decimals, round-half-even. */
  conf: number;
}

import type { Addressing } from './addressing.js';

/** Visits one key of a state: `packed` as getPacked returns it; returning false stops the walk. */
export type KeyVisitor = (token: number, packed: number) => unknown;

export interface PhenotypeStore {
  /** The entry for a key, or undefined. Allocates one small object; hot paths use getPacked. */
  get(state: number, token: number): Phenotype | undefined;
  /**
   * Allocation-free read: -1 when absent, else `(mask << 16) | confHalfBits`.
   * Use `confFromHalfBits(packed & 0xffff)` for the normalised confidence.
   */
  getPacked(state: number, token: number): number;
  /** Write (mask 0..255, conf in [0,1] as a double, quantised to half here). Bumps stateVersion(state). */
  put(state: number, token: number, mask: number, conf: number): void;
  /** Remove a key; returns whether it existed. Bumps stateVersion(state). */
  delete(state: number, token: number): boolean;
  /** End of a unit of work (flushes pending writes to the file, not necessarily fsync). */
  commit(): void;
  /** Make every write durable (fsync). */
  flush(): void;
  close(): void;
  /** Every live entry as [state, token, mask, conf]. */
  iterEntries(): IterableIterator<[number, number, number, number]>;
  /**
   * Token ids of the live keys stored under `state` (for views: under the state the view maps
   * it to). O(1) per key yielded; never scans other states.
   */
  iterKeysForState(state: number): IterableIterator<number>;
  /**
   * Optional fast path of iterKeysForState + getPacked: `fn(token, packed)` for the same keys in
   * the same order, until it returns false, with each key's value read where the walk finds it
   * (no second lookup). Call it through `forEachKeyOfState(store, …)`, which falls back for a
   * store without it.
   */
  forEachKeyOfState?(state: number, fn: KeyVisitor): void;
  /**
   * Per-state version: changes whenever a put or delete touches that state and never repeats
   * while the store is open. It may also change when another state is written (OrbitStore keeps
   * up to 65,536 shared counters), so a cache keyed by it is at worst invalidated needlessly.
   */
  stateVersion(state: number): number;
  /** Number of live entries. */
  readonly size: number;
  readonly readOnly: boolean;
  /**
   * What the state of a key means: the orbit representative (`canonical`) or the exact state
   * (`state`); see addressing.ts. Read it with `addressingOf(store)`: a backend that omits it
   * is canonical.
   */
  readonly addressing?: Addressing | undefined;
}

/**
 * `fn(token, packed)` for every live key of `state` in iterKeysForState order, until `fn`
 * returns false: the store's own forEachKeyOfState when it has one, else its key walk with a
 * getPacked per key.
 */
export function forEachKeyOfState(store: PhenotypeStore, state: number, fn: KeyVisitor): void {
  if (store.forEachKeyOfState !== undefined) {
    store.forEachKeyOfState(state, fn);
    return;
  }
  for (const token of store.iterKeysForState(state)) {
    const packed = store.getPacked(state, token);
    if (packed >= 0 && fn(token, packed) === false) return;
  }
}
