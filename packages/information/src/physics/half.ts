import { roundHalfEven } from './rounding.js';

/**
 * IEEE 754 binary16 conversions. The store keeps confidences as half bits; SPEC §4.1 asks for
 * a direct double → half rounding (nearest, ties to even), not a detour through float32, which
 * would round twice. Scaling by powers of two is exact in doubles, so each case reduces to one
 * roundHalfEven of an exactly scaled value.
 */
export function doubleToHalfBits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || (x === 0 && 1 / x < 0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) {
    // Subnormal (or zero): units of 2^-24. A result of 1024 is the smallest normal, 0x0400.
    return sign | roundHalfEven(a * 2 ** 24);
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  let m = roundHalfEven((a / 2 ** e) * 1024); // 1024..2048
  if (m === 2048) {
    m = 1024;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | (m - 1024);
}

/** The exact double value of a half-precision bit pattern. */
export function halfBitsToDouble(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}
