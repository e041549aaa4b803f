import { BROADCAST, XFORM, type InformationEngine } from '@gyro/information';

/**
 * Every state of the ontology has two equal 24-bit halves, and every XFORM and BROADCAST mask
 * is one 24-bit pattern repeated (SPEC §1), so a transition acts on the half alone:
 * half' = (half ^ XFORM_half[i]) & ~BROADCAST_half[i]. The bulk egress path walks halves with
 * these two 256-entry tables — integer ops on L1-resident data — instead of chasing the
 * 800 MB transition table byte by byte (a cache miss per byte), and turns a half into a state
 * index only where one is needed: before a learned token, and at the end of a call.
 */
export const HALF = 2 ** 24;
const PAIR = HALF + 1;

/** Low 24 bits of each XFORM mask. */
export const XFORM_HALF = Int32Array.from(XFORM, (x) => x % HALF);
/** Complement (within 24 bits) of the low 24 bits of each BROADCAST mask. */
export const KEEP_HALF = Int32Array.from(BROADCAST, (b) => ~(b % HALF) & 0xffffff);

/** The 24-bit half of the state at `index`. */
export function halfOf(info: InformationEngine, index: number): number {
  return info.keys[index]! % HALF;
}

/** The state index of a 24-bit half reached by transitions (always in the ontology). */
export function indexOfHalf(info: InformationEngine, half: number): number {
  return info.indexOf(half * PAIR);
}
