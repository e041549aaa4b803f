import { describe, expect, it } from 'vitest';
import { fold } from '@gyro/information';
import { nextConf, nextMask, q8 } from './learning-rule.js';

describe('learning rule (SPEC §5)', () => {
  it('folds the mask without the direction bit', () => {
    for (let m = 0; m < 256; m++) {
      for (const i of [0, 1, 0x42, 0x65, 0x80, 0xff]) expect(nextMask(m, i)).toBe(fold(m & 0xfe, i) & 0xfe);
    }
    // [CLS] (0x65) from a fresh entry gives the stored mask 100 of the golden data.
    expect(nextMask(0, 0x65)).toBe(100);
  });

  it('raises confidence by (1 − conf)·alpha·novelty, capped at 1', () => {
    const vMax = 48496;
    // Full orbit: alpha = 1/6; novelty 3/8 for 0 → 100.
    expect(nextConf(0.1, 0, 100, vMax, vMax)).toBe(0.1 + (1 - 0.1) * (1 / 6) * (3 / 8));
    // No change in the mask: no change in confidence.
    expect(nextConf(0.5, 6, 6, vMax, vMax)).toBe(0.5);
    // Orbit of size 1: alpha = (1/6)·sqrt(1/vMax).
    expect(nextConf(0.2, 0, 0xfe, 1, vMax)).toBe(0.2 + (0.8 * ((1 / 6) * Math.sqrt(1 / vMax)) * 7) / 8);
    expect(nextConf(1, 0, 0xfe, vMax, vMax)).toBe(1);
  });

  it('quantises to 8 bits with round-half-even and clamping', () => {
    expect(q8(-1)).toBe(0);
    expect(q8(2)).toBe(255);
    expect(q8(0.5)).toBe(128); // 127.5 → 128 (even)
    expect(q8(1.5 / 255)).toBe(2); // 1.5 → 2
    expect(q8(2.5 / 255)).toBe(2); // 2.5 → 2
  });
});
