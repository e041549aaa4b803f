import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { sampleIndex, samplingProbability, samplingWeightAt, samplingWeights } from './sampler.js';

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

describe('samplingProbability', () => {
  const scratch = new Float64Array(100);

  it('is the frequency sampleIndex draws each index with, and 1 for the best one when generation takes it outright', () => {
    const scores = Float64Array.of(0.9, 0.7, 0.65, 0.3, 0.2);
    const T = 0.7;
    const r = new Random(5);
    const counts = [0, 0, 0, 0, 0];
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[sampleIndex(scores, 5, T, r, scratch)]!++;
    let sum = 0;
    for (let i = 0; i < 5; i++) {
      const p = samplingProbability(scores, 5, T, i, scratch);
      sum += p;
      expect(Math.abs(counts[i]! / n - p)).toBeLessThan(0.005);
    }
    expect(sum).toBeCloseTo(1, 12);
    expect(samplingProbability(scores, 5, T, 5, scratch)).toBe(0);
    expect(samplingProbability(scores, 3, T, 0, scratch)).toBe(1);
    expect(samplingProbability(scores, 3, T, 1, scratch)).toBe(0);
    expect(samplingProbability(scores, 5, 0.05, 0, scratch)).toBe(1);
  });
});

describe('samplingWeightAt', () => {
  it('is exactly the weight samplingWeights computes for that index, and a known total gives the same probability', () => {
    const scratch = new Float64Array(100);
    const r = new Random(77);
    for (let trial = 0; trial < 50; trial++) {
      const n = 4 + r.int(90);
      const scores = Float64Array.from({ length: n }, () => r.next()).sort().reverse();
      const T = 0.1 + r.next() * 0.9;
      const total = samplingWeights(scores, n, T, scratch);
      const weights = scratch.slice(0, n);
      for (let i = 0; i < n; i++) {
        expect(samplingWeightAt(scores, n, T, i)).toBe(weights[i]);
        expect(samplingProbability(scores, n, T, i, scratch, total)).toBe(samplingProbability(scores, n, T, i, scratch));
      }
    }
  });
});
