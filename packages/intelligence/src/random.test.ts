import { InvalidArgumentError } from './errors.js';
import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('repeats a seeded sequence and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xa);
    a.reseed(42);
    expect(a.next()).toBe(xa[0]);
  });

  it('is uniform enough in [0, 1) and int(n) stays in range', () => {
    const r = new Random(7);
    const bins = new Array(10).fill(0);
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      bins[Math.floor(x * 10)]++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    const ints = new Set(Array.from({ length: 1000 }, () => r.int(3)));
    expect([...ints].sort()).toEqual([0, 1, 2]);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Random(NaN)).toThrow(InvalidArgumentError);
  });
});
