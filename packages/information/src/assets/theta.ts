import { popcount32 } from '../physics/bits.js';
import { HALF } from '../physics/constants.js';

/**
 * θ of each state: float32(acos(1 - 2·popcount(key ^ archetype)/48)), computed in double and
 * rounded once to float32 (as the reference does).
 */
export function buildTheta(keys: Float64Array, archetype: number): Float32Array {
  const aHi = Math.floor(archetype / HALF);
  const aLo = archetype - aHi * HALF;
  const theta = new Float32Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const s = keys[k]!;
    const hi = Math.floor(s / HALF);
    const d = popcount32(hi ^ aHi) + popcount32((s - hi * HALF) ^ aLo);
    theta[k] = Math.acos(1 - (2 * d) / 48);
  }
  return theta;
}
