import { InvalidIntronError, UnknownStateError } from '../errors.js';
import { HALF, KEEP_HALF, XFORM_HALF } from './constants.js';

/**
 * One transition on a 24-bit half: the 48-bit masks are the same pattern in both halves, so
 * a state's halves evolve independently by this one function. No checks: for hot loops.
 */
export function stepHalf(half: number, intron: number): number {
  return (half ^ XFORM_HALF[intron]!) & KEEP_HALF[intron]!;
}

/** True for an integer in 0 .. 2^48 - 1. */
export function isState(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < HALF * HALF;
}

/** SPEC §1: `next = (state ^ XFORM[intron]) & ~BROADCAST[intron]` on 48 bits. */
export function transition(state: number, intron: number): number {
  if (!isState(state)) throw new UnknownStateError(state);
  if ((intron & 0xff) !== intron) throw new InvalidIntronError(intron);
  const hi = Math.floor(state / HALF);
  return stepHalf(hi, intron) * HALF + stepHalf(state - hi * HALF, intron);
}
