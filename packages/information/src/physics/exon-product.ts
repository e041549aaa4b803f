import { InformationError } from '../errors.js';
import { roundHalfEven } from './rounding.js';

/**
 * SPEC §1 exon product of a phenotype: the mask's LI/FG/BG/neutral bit pairs give two signed
 * directions, scaled by confidence and orbit weight, packed as two 4-bit two's-complement
 * nibbles. A zero product becomes 0x42 (the LI family), so it is never silent.
 */
export function exonProduct(mask: number, conf: number, orbitV: number, vMax: number): number {
  if (!(vMax > 0)) throw new InformationError('INVALID_V_MAX', `vMax must be positive, got ${vMax}`, 'pass the largest orbit size (48496)');
  const li = (mask >> 6) & 3;
  const fg = (mask >> 4) & 3;
  const bg = (mask >> 2) & 3;
  const neutral = mask & 3;
  const scale = conf * Math.sqrt(orbitV / vMax);
  const a = roundHalfEven((li - bg) * scale) & 0x0f;
  const b = roundHalfEven((fg - neutral) * scale) & 0x0f;
  const p = (a << 4) | b;
  return p === 0 ? 0x42 : p;
}
