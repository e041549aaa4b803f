import { describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { doubleToHalfBits, halfBitsToDouble } from './half.js';

const physics = goldenJson<{ double_to_half_bits: [number, number][] }>('physics.json');

describe('double → half', () => {
  it.each(physics.double_to_half_bits)('%d → %d (golden)', (x, bits) => {
    expect(doubleToHalfBits(x)).toBe(bits);
  });

  it('round-trips every finite half exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      const back = doubleToHalfBits(halfBitsToDouble(bits));
      expect(back === bits || (bits === 0x8000 && back === 0x8000)).toBe(true);
    }
  });

  it('rounds ties to even and overflows to infinity', () => {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa (1.0).
    expect(doubleToHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(doubleToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(doubleToHalfBits(65520)).toBe(0x7c00);
    expect(doubleToHalfBits(65519)).toBe(0x7bff);
    expect(doubleToHalfBits(-0)).toBe(0x8000);
    expect(doubleToHalfBits(2 ** -25)).toBe(0);
    expect(doubleToHalfBits(3 * 2 ** -25)).toBe(2);
  });
});
