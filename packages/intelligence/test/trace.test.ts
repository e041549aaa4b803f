import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { GyroSI, type TokenTrace } from '../src/index.js';
import { samplingWeights, temperatureFromTheta } from '../src/internals.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('generation trace (the look-inside view)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  const { bytes } = licensesStream();
  let n = 0;
  const agent = (seed: number) => {
    // No wall-clock budget on scans: a loaded machine must not change which candidates are seen.
    const a = new GyroSI(info, freshStore(tmp.dir, `t${n++}.bin`), { seed, agentId: `t${n}`, preferences: { scanBudgetMs: 1e9 } });
    a.ingest(bytes);
    return a;
  };

  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  it('traces every chosen token with the figures explain gives for its state at that moment', () => {
    const a = agent(5);
    const traces: TokenTrace[] = [];
    const explained: ReturnType<GyroSI['engine']['explain']>[] = [];
    const reply = a.respondText('what may i do with the software?', {
      maxNewTokens: 24,
      traceTop: 8,
      onTrace: (t) => {
        traces.push(t);
        // Called before the token is emitted: the store holds what the decision was made from.
        explained.push(a.engine.explain(t.stateIndex));
      },
    });
    expect(traces.length).toBe(reply.completionTokens);
    expect(traces.map((t) => t.token)).toEqual(reply.tokens.slice(0, reply.completionTokens));
    let sampled = 0;
    traces.forEach((t, i) => {
      const e = explained[i]!;
      expect([t.context, t.orbitSize, t.theta]).toEqual([e.rep, e.orbitSize, e.theta]);
      expect(t.rep).toBe(info.phenomenology[t.stateIndex]);
      expect(t.temperature).toBe(temperatureFromTheta(t.theta, 0.1, 1, 0.05));
      expect(t.fallback).toBe(false);
      expect(t.candidates.length).toBeGreaterThan(0);
      expect(t.candidates[t.chosenRank < 8 ? t.chosenRank : t.candidates.length - 1]!.token).toBe(t.token);
      for (const c of t.candidates) {
        const { probability, ...terms } = c;
        expect(terms).toEqual(e.candidates.find((x) => x.token === c.token));
        expect(probability).toBeGreaterThanOrEqual(0);
      }
      // The list is complete here (fewer keys than the scan limit): its ranking is explain's.
      if (t.complete) expect(t.candidates.slice(0, 8).map((c) => c.score)).toEqual(e.candidates.slice(0, Math.min(8, t.candidateCount)).map((c) => c.score));
      const top = t.candidates.filter((_, k) => k < 8).reduce((s, c) => s + c.probability, 0);
      expect(top).toBeLessThanOrEqual(1 + 1e-12);
      if (t.candidateCount > 3 && t.temperature >= 0.1) sampled++;
    });
    expect(sampled).toBeGreaterThan(0);
    a.close();
  });

  it('probabilities are the sampler weights, normalised; tracing does not change the reply', () => {
    const traced = agent(21);
    const plain = agent(21);
    const traces: TokenTrace[] = [];
    const r1 = traced.respondText('tell me about copyleft', { maxNewTokens: 16, onTrace: (t) => traces.push(t), traceTop: 200 });
    const r2 = plain.respondText('tell me about copyleft', { maxNewTokens: 16 });
    expect(r1.tokens).toEqual(r2.tokens);
    for (const t of traces) {
      const scores = Float64Array.from(t.candidates.map((c) => c.score));
      if (t.candidates.length !== t.candidateCount) continue; // not every candidate listed
      const w = new Float64Array(scores.length);
      const total = samplingWeights(scores, scores.length, t.temperature, w);
      t.candidates.forEach((c, k) => {
        expect(c.probability).toBeCloseTo(total === 0 ? (k === 0 ? 1 : 0) : w[k]! / total, 12);
      });
      expect(t.candidates.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 12);
    }
    expect(traced.engine.tracer).toBeUndefined();
    traced.close();
    plain.close();
  });
});
