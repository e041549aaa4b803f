import type { PhenotypeStore } from '../contract.js';
import { confFromHalfBits } from '../conf.js';

/** One live record as `gyro store export` prints it. */
export interface ExportedRecord {
  state: number;
  token: number;
  mask: number;
  /** As read (4 decimals). */
  conf: number;
  /** The stored half bits. */
  confBits: number;
}

/**
 * Every live entry sorted by (state, token). Collects the distinct states once, then lists each
 * state through iterKeysForState, so memory beyond the store is one state's tokens at a time.
 */
export function* exportRecords(store: PhenotypeStore): Generator<ExportedRecord> {
  const seen = new Set<number>();
  for (const [state] of store.iterEntries()) seen.add(state);
  const states = Uint32Array.from(seen).sort();
  for (const state of states) {
    const tokens = Uint32Array.from(store.iterKeysForState(state)).sort();
    for (const token of tokens) {
      const packed = store.getPacked(state, token);
      if (packed < 0) continue;
      yield { state, token, mask: packed >>> 16, conf: confFromHalfBits(packed & 0xffff), confBits: packed & 0xffff };
    }
  }
}
