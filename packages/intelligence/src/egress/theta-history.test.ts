import { describe, expect, it } from 'vitest';
import { ThetaHistory } from './theta-history.js';

describe('ThetaHistory', () => {
  it('keeps the last 8 values, oldest first, with their population std', () => {
    const h = new ThetaHistory();
    expect(h.last(-1)).toBe(-1);
    expect(h.std()).toBeNaN();
    for (let i = 1; i <= 11; i++) h.push(i);
    expect(h.count).toBe(8);
    expect(h.values()).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(h.last()).toBe(11);
    expect(h.std()).toBeCloseTo(Math.sqrt(5.25), 12);
    h.clear();
    expect(h.values()).toEqual([]);
  });
});
