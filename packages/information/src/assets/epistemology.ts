import { KEEP_HALF, XFORM_HALF } from '../physics/constants.js';
import type { HalfIndex } from './half-index.js';
import type { ProgressFn } from './progress.js';

/**
 * The state transition table: row k, column i holds the index of next(keys[k], i). Rows
 * [from, to) are filled into `stt` (row-major, 256 per row), so callers may split the work.
 */
export function fillEpistemology(stt: Int32Array, halves: Int32Array, index: HalfIndex, from: number, to: number, onProgress?: ProgressFn): void {
  const table = index.table;
  for (let k = from; k < to; k++) {
    const h = halves[k]!;
    const base = k * 256;
    for (let i = 0; i < 256; i++) {
      const n = (h ^ XFORM_HALF[i]!) & KEEP_HALF[i]!;
      const w = n >>> 5;
      const bits = table[2 * w]!;
      const bit = 1 << (n & 31);
      let x = bits & (bit - 1);
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      x = (x + (x >>> 4)) & 0x0f0f0f0f;
      // The ontology is closed under transitions, so the bit is always set.
      stt[base + i] = table[2 * w + 1]! + (Math.imul(x, 0x01010101) >>> 24);
    }
    if ((k & 0x3fff) === 0) onProgress?.(k - from, to - from);
  }
  onProgress?.(to - from, to - from);
}
