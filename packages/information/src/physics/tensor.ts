import { InformationError } from '../errors.js';
import { popcount48, xor48 } from './bits.js';
import { HALF } from './constants.js';

/** ±1 tensor (48 elements, C order of [4,2,3,2]) → state: element k is bit 47-k, 1 where -1. */
export function tensorToState(t: ArrayLike<number>): number {
  if (t.length !== 48) throw new InformationError('BAD_TENSOR', `a state tensor has 48 elements, got ${t.length}`, 'pass shape [4,2,3,2] flattened in C order');
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < 24; k++) {
    const a = t[k];
    const b = t[k + 24];
    if ((a !== 1 && a !== -1) || (b !== 1 && b !== -1))
      throw new InformationError('BAD_TENSOR', `tensor elements must be ±1 (element ${a !== 1 && a !== -1 ? k : k + 24})`, 'pass a ±1 tensor');
    hi = (hi << 1) | (a === -1 ? 1 : 0);
    lo = (lo << 1) | (b === -1 ? 1 : 0);
  }
  return hi * HALF + lo;
}

/** State → ±1 tensor (Int8Array of 48, C order of [4,2,3,2]). */
export function stateToTensor(s: number): Int8Array {
  const t = new Int8Array(48);
  const hi = Math.floor(s / HALF);
  const lo = s - hi * HALF;
  for (let k = 0; k < 24; k++) {
    t[k] = (hi >>> (23 - k)) & 1 ? -1 : 1;
    t[k + 24] = (lo >>> (23 - k)) & 1 ? -1 : 1;
  }
  return t;
}

/** Angle between two states' tensors: acos(1 - 2·popcount(a ^ b)/48), in [0, π]. */
export function angularDistance(a: number, b: number): number {
  return Math.acos(1 - (2 * popcount48(xor48(a, b))) / 48);
}

/** XOR of the six bytes of a 48-bit state: a one-byte projection. */
export function projectState(state: number): number {
  const hi = Math.floor(state / HALF);
  const lo = state - hi * HALF;
  const x = hi ^ lo;
  return (x ^ (x >>> 8) ^ (x >>> 16)) & 0xff;
}
