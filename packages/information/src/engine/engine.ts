import { IndexOutOfRangeError, InvalidIntronError, UnknownStateError } from '../errors.js';
import { HALF, KEEP_HALF, XFORM_HALF } from '../physics/constants.js';
import { ARCHETYPE_STATE } from '../physics/machine.js';
import type { HalfIndex } from '../assets/half-index.js';
import type { InformationEngine } from './types.js';

/** The tables both modes share. */
export interface EngineTables {
  keys: Float64Array;
  /** keys[k] = halves[k] · (2^24 + 1). */
  halves: Int32Array;
  index: HalfIndex;
  archetypeIndex: number;
  vMax: number;
  thetaTable: Float32Array;
  phenomenology: Int32Array;
  orbitSizes: Uint32Array;
}

/** Everything but `next`: lookups by index are array reads, state → index goes through HalfIndex. */
abstract class BaseEngine implements InformationEngine {
  readonly size: number;
  readonly archetypeState = ARCHETYPE_STATE;
  readonly archetypeIndex: number;
  readonly vMax: number;
  abstract readonly mode: 'stt' | 'stt-free';
  abstract readonly stt: Int32Array | null;
  readonly keys: Float64Array;
  readonly halves: Int32Array;
  readonly halfIndex: HalfIndex;
  readonly thetaTable: Float32Array;
  readonly phenomenology: Int32Array;
  readonly orbitSizes: Uint32Array;

  constructor(t: EngineTables) {
    this.size = t.keys.length;
    this.archetypeIndex = t.archetypeIndex;
    this.vMax = t.vMax;
    this.keys = t.keys;
    this.halves = t.halves;
    this.halfIndex = t.index;
    this.thetaTable = t.thetaTable;
    this.phenomenology = t.phenomenology;
    this.orbitSizes = t.orbitSizes;
  }

  abstract next(index: number, intron: number): number;

  indexOf(state: number): number {
    if (typeof state === 'number' && state >= 0 && state < HALF * HALF) {
      const hi = Math.floor(state / HALF);
      if (state - hi * HALF === hi) {
        const k = this.halfIndex.indexOf(hi);
        if (k >= 0) return k;
      }
    }
    throw new UnknownStateError(state);
  }

  /** Index of a state, or -1 when the ontology does not hold it (no throw). */
  tryIndexOf(state: number): number {
    if (!(state >= 0 && state < HALF * HALF)) return -1;
    const hi = Math.floor(state / HALF);
    return state - hi * HALF === hi ? this.halfIndex.indexOf(hi) : -1;
  }

  stateAt(index: number): number {
    this.check(index);
    return this.keys[index]!;
  }

  theta(index: number): number {
    this.check(index);
    return this.thetaTable[index]!;
  }

  orbitSize(index: number): number {
    this.check(index);
    return this.orbitSizes[index]!;
  }

  representative(index: number): number {
    this.check(index);
    return this.phenomenology[index]!;
  }

  halfOf(index: number): number {
    this.check(index);
    return this.halves[index]!;
  }

  indexOfHalf(half: number): number {
    const k = half >>> 0 === half && half < HALF ? this.halfIndex.indexOf(half) : -1;
    // Named by its state when the half is a 24-bit value, else as given.
    if (k < 0) throw new UnknownStateError(half >>> 0 === half && half < HALF ? half * (HALF + 1) : half);
    return k;
  }

  protected check(index: number): void {
    if (index >>> 0 !== index || index >= this.size) throw new IndexOutOfRangeError(index, this.size);
  }

  protected checkIntron(intron: number): void {
    if ((intron & 0xff) !== intron) throw new InvalidIntronError(intron);
  }
}

/** Transitions read from the table (SharedArrayBuffer-backed, shareable with workers). */
export class SttEngine extends BaseEngine {
  readonly mode = 'stt' as const;
  readonly stt: Int32Array;
  constructor(t: EngineTables, stt: Int32Array) {
    super(t);
    this.stt = stt;
  }

  next(index: number, intron: number): number {
    this.check(index);
    this.checkIntron(intron);
    return this.stt[(index << 8) | intron]!;
  }
}

/** Transitions computed: formula on the state's half, then HalfIndex to its index. */
export class SttFreeEngine extends BaseEngine {
  readonly mode = 'stt-free' as const;
  readonly stt = null;

  next(index: number, intron: number): number {
    this.check(index);
    this.checkIntron(intron);
    return this.halfIndex.indexOf((this.halves[index]! ^ XFORM_HALF[intron]!) & KEEP_HALF[intron]!);
  }
}
