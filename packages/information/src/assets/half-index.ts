import { popcount32 } from '../physics/bits.js';

/**
 * Every ontology state has equal 24-bit halves (the archetype does, and each XFORM and
 * BROADCAST mask is one 24-bit pattern repeated, so a transition treats both halves alike).
 * A state is therefore named by its half, and the sorted ontology is a set of 24-bit values.
 *
 * This is that set as a bitmap over 2^24 with a rank per 32-bit word, interleaved as
 * [bits, rank] pairs (4 MiB, one cache line per lookup): index = rank of the half among the
 * set bits. A direct, allocation-free state → index lookup with no hashing and no search.
 */
export const WORDS = 1 << 19;

export class HalfIndex {
  /** [bits of word w, number of set bits before word w] for w in 0 .. 2^19 - 1. */
  readonly table: Int32Array;
  readonly size: number;

  private constructor(table: Int32Array, size: number) {
    this.table = table;
    this.size = size;
  }

  /** From a bitmap of 2^19 words (bit h set for each half h in the set). */
  static fromBitmap(bitmap: Int32Array): HalfIndex {
    const table = new Int32Array(2 * WORDS);
    for (let w = 0; w < WORDS; w++) table[2 * w] = bitmap[w]!;
    return HalfIndex.ranked(table);
  }

  /** From halves sorted ascending and distinct (returns null if they are not). */
  static fromSortedHalves(halves: Int32Array): HalfIndex | null {
    const table = new Int32Array(2 * WORDS);
    let prev = -1;
    for (let k = 0; k < halves.length; k++) {
      const h = halves[k]!;
      if (h <= prev || h > 0xffffff) return null;
      table[2 * (h >>> 5)]! |= 1 << (h & 31);
      prev = h;
    }
    return HalfIndex.ranked(table);
  }

  /** Fill in the rank of each word of a table whose bits are set. */
  private static ranked(table: Int32Array): HalfIndex {
    let rank = 0;
    for (let w = 0; w < WORDS; w++) {
      table[2 * w + 1] = rank;
      rank += popcount32(table[2 * w]!);
    }
    return new HalfIndex(table, rank);
  }

  /** Index of a 24-bit half, or -1 if it is not in the set. */
  indexOf(half: number): number {
    const w = half >>> 5;
    const bits = this.table[2 * w]!;
    const bit = 1 << (half & 31);
    if ((bits & bit) === 0) return -1;
    return this.table[2 * w + 1]! + popcount32(bits & (bit - 1));
  }

  /** The halves in ascending order. */
  halves(): Int32Array {
    const out = new Int32Array(this.size);
    let k = 0;
    for (let w = 0; w < WORDS; w++) {
      let bits = this.table[2 * w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        out[k++] = (w << 5) | (31 - Math.clz32(low));
        bits ^= low;
      }
    }
    return out;
  }
}
