import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { IMPOSSIBLE_LOGPROB, logprobOf, sampleIndex, samplingProbability, samplingWeightAt, samplingWeights } from './sampler.js';

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
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - w[i]! / total)).toBeLessThan(0.005);
    });
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
      const scores = Float64Array.from({ length: n }, () => r.next())
        .sort()
        .reverse();
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

describe('samplingWeights (the one distribution: sampler and logprobs)', () => {
  const w = new Float64Array(100);
  const scores = Float64Array.of(0.9, 0.7, 0.6, 0.5, 0.45, 0.4);

  it('is greedy (total 0, logprob 0 for the best, the floor for the rest) below T 0.1, at T 0, at ≤ 3 candidates, or a nucleus of one', () => {
    expect(samplingWeights(scores, 6, 0, w, 1)).toBe(0);
    expect(samplingWeights(scores, 6, 0.09, w, 1)).toBe(0);
    expect(samplingWeights(scores, 3, 1, w, 1)).toBe(0);
    expect(samplingWeights(scores, 6, 1, w, 0)).toBe(0);
    expect(samplingWeights(Float64Array.of(0.99, 0.1, 0.1, 0.1, 0.1), 5, 0.2, w, 0.5)).toBe(0);
    expect(logprobOf(w, 0, 0)).toBe(0);
    expect(logprobOf(w, 1, 0)).toBe(IMPOSSIBLE_LOGPROB);
    const r = new Random(5);
    for (let i = 0; i < 20; i++) expect(sampleIndex(scores, 6, 0, r, w)).toBe(0);
  });

  it('top_p keeps the smallest prefix holding that share of the mass, renormalised', () => {
    const full = samplingWeights(scores, 6, 1, w, 1);
    const ws = [...w.subarray(0, 6)];
    const total = samplingWeights(scores, 6, 1, w, 0.7);
    let kept = 0;
    let mass = 0;
    while (mass < 0.7 * full) mass += ws[kept++]!;
    expect(kept).toBeGreaterThan(1);
    expect(kept).toBeLessThan(6);
    expect(total).toBeCloseTo(mass, 12);
    for (let i = 0; i < 6; i++) expect(w[i]).toBe(i < kept ? ws[i] : 0);
    const p = Array.from({ length: 6 }, (_, i) => Math.exp(logprobOf(w, i, total)));
    expect(p.slice(0, kept).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(logprobOf(w, kept, total)).toBe(IMPOSSIBLE_LOGPROB);
    // The sampler draws only inside the nucleus, with those probabilities.
    const r = new Random(3);
    const counts = new Array(6).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[sampleIndex(scores, 6, 1, r, w, 0.7)]++;
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - (i < kept ? p[i]! : 0))).toBeLessThan(0.006);
    });
  });

  it('logprobs are the log of the frequencies the sampler draws with', () => {
    const T = 0.7;
    const total = samplingWeights(scores, 6, T, w, 1);
    const lp = Array.from({ length: 6 }, (_, i) => logprobOf(w, i, total));
    const r = new Random(77);
    const counts = new Array(6).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[sampleIndex(scores, 6, T, r, w)]++;
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - Math.exp(lp[i]!))).toBeLessThan(0.006);
    });
  });
});
