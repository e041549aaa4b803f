import { describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { doubleToHalfBits, halfBitsToDouble } from '@gyro/information/internals';
import { confFromHalfBits, confToHalfBits } from './conf.js';
import { InvalidPhenotypeError } from './errors.js';

const normalized = goldenJson<{ table: number[] }>('conf_normalized.json').table;
const physics = goldenJson<{ double_to_half_bits: [number, number][] }>('physics.json');

describe('confidence as read (SPEC §4.1)', () => {
  it('matches the reference for all 15,361 halves in [0, 1]', () => {
    expect(normalized.length).toBe(0x3c01);
    const wrong: number[] = [];
    for (let bits = 0; bits <= 0x3c00; bits++) if (confFromHalfBits(bits) !== normalized[bits]) wrong.push(bits);
    expect(wrong).toEqual([]);
  });

  it('clamps halves outside [0, 1] the way the reference reader does', () => {
    expect(confFromHalfBits(0x3c01)).toBe(1); // just above 1
    expect(confFromHalfBits(0x7bff)).toBe(1); // 65504
    expect(confFromHalfBits(0x7c00)).toBe(1); // +inf
    expect(confFromHalfBits(0x7e00)).toBe(1); // NaN: max(0, min(1, nan)) is 1 in Python
    expect(confFromHalfBits(0x8000)).toBe(0); // -0
    expect(confFromHalfBits(0xbc00)).toBe(0); // -1
  });
});

describe('confidence quantised at put', () => {
  const inRange = physics.double_to_half_bits.filter(([x]) => x >= 0 && x <= 1);
  it.each(inRange)('%d → half bits %d (golden)', (x, bits) => {
    expect(confToHalfBits(x)).toBe(bits);
  });

  it('refuses values outside [0, 1]', () => {
    for (const x of [-1e-9, 1.0000001, Number.NaN, Infinity]) expect(() => confToHalfBits(x)).toThrow(InvalidPhenotypeError);
    expect(confToHalfBits(-0)).toBe(0);
  });
});

describe('the put fast path agrees with doubleToHalfBits', () => {
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  const step = (x: number, by: bigint) => {
    f64[0] = x;
    u64[0]! += by;
    return f64[0]!;
  };
  const check = (x: number) => (x >= 0 && x <= 1 && confToHalfBits(x) !== doubleToHalfBits(x) ? [x] : []);

  it('on every half, every tie between neighbours and the doubles just beside them', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x3c00; bits++) {
      const lo = halfBitsToDouble(bits);
      const tie = (lo + halfBitsToDouble(bits + 1)) / 2; // exact: one more bit than a half holds
      for (const x of [lo, tie, step(tie, 1n), step(tie, -1n), step(lo, 1n), step(lo, -1n)]) wrong.push(...check(x));
    }
    wrong.push(...check(1), ...check(step(1, -1n)));
    expect(wrong).toEqual([]);
  });

  it('on a million random confidences', () => {
    let s = 99;
    const wrong: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const x = (s / 2 ** 32) * (i % 2 ? 1 : 2 ** -(i % 20));
      wrong.push(...check(x));
    }
    expect(wrong).toEqual([]);
  });
});
