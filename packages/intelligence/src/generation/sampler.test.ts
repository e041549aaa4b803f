import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { sampleIndex } from './sampler.js';

describe('sampleIndex', () => {
  const scratch = new Float64Array(100);

  it('takes the best when there are at most 3 candidates or T < 0.1', () => {
    const r = new Random(1);
    expect(sampleIndex(Float64Array.of(0.9, 0.8, 0.7), 3, 1, r, scratch)).toBe(0);
    expect(sampleIndex(Float64Array.of(0.9, 0.8, 0.7, 0.6, 0.5), 5, 0.09, r, scratch)).toBe(0);
  });

  it('samples ∝ (s − min + 1e-8)^(1/T), reproducibly for a seed', () => {
    const scores = Float64Array.of(0.8, 0.6, 0.5, 0.4);
    const T = 0.5;
    const w = [...scores].map((s) => (s - 0.4 + 1e-8) ** (1 / T));
    const total = w.reduce((a, b) => a + b, 0);
    const r = new Random(123);
    const counts = [0, 0, 0, 0];
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[sampleIndex(scores, 4, T, r, scratch)]!++;
    counts.forEach((c, i) => expect(Math.abs(c / n - w[i]! / total)).toBeLessThan(0.005));
    const a = new Random(9);
    const b = new Random(9);
    const xs = Array.from({ length: 50 }, () => sampleIndex(scores, 4, T, a, scratch));
    expect(Array.from({ length: 50 }, () => sampleIndex(scores, 4, T, b, scratch))).toEqual(xs);
  });
});
