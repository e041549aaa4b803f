import { FOLD_TABLE } from '@gyro/information';
import { popcount8, roundHalfEven } from '@gyro/information/internals';

/**
 * The learning rule of SPEC §5 as three small pure functions, so the engine's hot loop and the
 * tests share one definition.
 */

/** A phenotype that does not exist yet starts here. */
export const DEFAULT_MASK = 0;
export const DEFAULT_CONF = 0.1;

/** new = fold(old & 0xFE, lastIntron) & 0xFE (bit 0 is the direction flag; 0 = pre-state). */
export function nextMask(mask: number, lastIntron: number): number {
  return FOLD_TABLE[((mask & 0xfe) << 8) | (lastIntron & 0xff)]! & 0xfe;
}

/**
 * conf' = min(1, conf + (1 − conf)·alpha·novelty) with alpha = (1/6)·sqrt(orbitV/vMax) and
 * novelty = popcount(old ^ new)/8, evaluated in double in the reference's order.
 */
export function nextConf(conf: number, oldMask: number, newMask: number, orbitV: number, vMax: number): number {
  const novelty = popcount8((oldMask ^ newMask) & 0xff) / 8;
  const alpha = (1 / 6) * Math.sqrt(orbitV / vMax);
  return Math.min(1, conf + (1 - conf) * alpha * novelty);
}

/** The 8-bit quantisation the skip rule compares: roundHalfEven(clamp(x, 0, 1)·255). */
export function q8(x: number): number {
  return roundHalfEven(Math.min(Math.max(x, 0), 1) * 255);
}
