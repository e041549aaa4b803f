import { doubleToHalfBits, halfBitsToDouble } from '@gyro/information/internals';
import { InvalidPhenotypeError } from './errors.js';

/**
 * A half value as every read returns it (SPEC §4.1): clamped to [0, 1] as the reference does
 * (NaN reads as 1, like Python's `max(0, min(1, nan))`), then rounded to 4 decimals half-even on
 * the exact binary value. A half in [0, 1] is m·2^-24 with m < 2^25, so m·10^4 is an exact
 * integer in a double and the decimal rounding is integer arithmetic; q/10^4 is then the
 * double nearest that decimal, which is what Python's round(x, 4) returns.
 */
function normalise(bits: number): number {
  const v = halfBitsToDouble(bits);
  if (Number.isNaN(v) || v >= 1) return 1;
  if (v <= 0) return 0;
  const m = v * 2 ** 24; // exact integer for every half in (0, 1)
  const n = m * 10_000;
  let q = Math.floor(n / 2 ** 24);
  const twice = 2 * (n - q * 2 ** 24);
  if (twice > 2 ** 24 || (twice === 2 ** 24 && q % 2 === 1)) q++;
  return q / 10_000;
}

/**
 * Every one of the 65,536 half bit patterns, normalised (512 KiB), built at the first read
 * rather than at import: it takes ~15 ms, which every `gyro` command paid at start-up whether
 * it read a confidence or not.
 */
let confTable: Float64Array | undefined;

function buildConfTable(): Float64Array {
  const table = new Float64Array(0x10000);
  for (let bits = 0; bits < 0x10000; bits++) table[bits] = normalise(bits);
  return table;
}

/** The confidence a read returns for stored half bits. */
export function confFromHalfBits(bits: number): number {
  return (confTable ??= buildConfTable())[bits & 0xffff]!;
}

// The double's two 32-bit halves, for the put fast path below.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/**
 * Quantise a confidence at put: direct double → half, round to nearest even (SPEC §4.1).
 * Throws InvalidPhenotypeError outside [0, 1] (NaN included).
 *
 * put is a hot path, so confidences in the normal half range [2^-14, 1] are rounded here on
 * the double's bits: the top 10 of its 52 mantissa bits, plus one when the other 42 are above
 * half an ulp, or exactly half and the result would be odd; a carry out of the mantissa moves
 * into the exponent by itself. Smaller values go through @gyro/information's doubleToHalfBits,
 * and a test checks both agree on every tie, its neighbours and a million random values.
 */
export function confToHalfBits(conf: number): number {
  if (!(conf >= 0 && conf <= 1)) throw new InvalidPhenotypeError(`conf ${conf} is outside [0, 1]`);
  if (conf < 2 ** -14) return doubleToHalfBits(conf) & 0x7fff; // -0 stores as +0
  f64[0] = conf;
  const hi = u32[HI]!;
  const rest = hi & 0x3ff;
  let m = (hi >>> 10) & 0x3ff;
  if (rest > 0x200 || (rest === 0x200 && (u32[LO] !== 0 || (m & 1) === 1))) m++;
  return (((hi >>> 20) - 1008) << 10) + m; // half exponent = double exponent - 1023 + 15
}
