import { HALF } from './constants.js';

/** Set bits of a 32-bit value (SWAR). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Set bits of a byte. */
export function popcount8(x: number): number {
  return popcount32(x & 0xff);
}

/** Set bits of a 48-bit state. */
export function popcount48(x: number): number {
  const hi = Math.floor(x / HALF);
  return popcount32(hi) + popcount32(x - hi * HALF);
}

/** XOR of two 48-bit values (JS `^` only sees 32 bits). */
export function xor48(a: number, b: number): number {
  const ah = Math.floor(a / HALF);
  const bh = Math.floor(b / HALF);
  return (ah ^ bh) * HALF + ((a - ah * HALF) ^ (b - bh * HALF));
}
