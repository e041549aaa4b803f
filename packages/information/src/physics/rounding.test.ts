import { expect, it } from 'vitest';
import { roundHalfEven } from './rounding.js';

it('rounds ties to even like Python round()', () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, -0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999999999999996, 2],
    [0.49999999999999994, 0],
    [1.2, 1],
    [-1.7, -2],
    [4503599627370497, 4503599627370497],
  ];
  for (const [x, r] of cases) expect(roundHalfEven(x)).toBe(r);
});
