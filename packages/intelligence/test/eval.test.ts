import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { OrbitStore } from '@gyro/store';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { bytesToIds, getTokenizer, idsToBytes } from '@gyro/tokenizer';
import { evaluate, FLOOR_SHARE, IntelligenceEngine, resolvePreferences } from '../src/index.js';
import { CandidateList, samplingProbability, scanCandidates, StateScorer, temperatureFromTheta, walkTestTape } from '../src/internals.js';
import { tempDir } from './support.js';

const SEP = 102;
const tokenizer = getTokenizer();

/** The first `n` WordNet glosses split 90/10 by document (every tenth gloss held out), as tapes. */
function split(n: number): { train: Uint8Array; test: Uint8Array } {
  const train: number[] = [];
  const test: number[] = [];
  let i = 0;
  for (const gloss of wordnetGlosses(n)) (i++ % 10 === 9 ? test : train).push(...tokenizer.encode(gloss));
  return { train: idsToBytes(train), test: idsToBytes(test) };
}

/** The count models of the issue in plain JS over token ids: Maps of counts, ties to the lower id. */
function countModel(train: number[], test: number[]): { unigram: number; bigram: number } {
  const argmax = (m: Map<number, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const uni = new Map<number, number>();
  const next = new Map<number, Map<number, number>>();
  train.forEach((t, i) => {
    if (t === SEP) return;
    uni.set(t, (uni.get(t) ?? 0) + 1);
    if (i === 0) return;
    const m = next.get(train[i - 1]!) ?? new Map<number, number>();
    m.set(t, (m.get(t) ?? 0) + 1);
    next.set(train[i - 1]!, m);
  });
  const top = argmax(uni);
  let n = 0;
  let u = 0;
  let b = 0;
  test.forEach((t, i) => {
    if (t === SEP) return;
    n++;
    if (t === top) u++;
    const m = i > 0 ? next.get(test[i - 1]!) : undefined;
    if (t === (m ? argmax(m) : top)) b++;
  });
  return { unigram: u / n, bigram: b / n };
}

describe('evaluate (gyro eval)', () => {
  let info: InformationEngine;
  const tmp = tempDir('gyro-eval-');
  beforeAll(async () => {
    info = await testEngine('stt');
  });
  afterAll(() => tmp.cleanup());

  it('reports baselines that agree with an independent count model, and both addressings', () => {
    const { train, test } = split(4000);
    const report = evaluate({ info, train, test, tokenizer, workDir: tmp.dir });
    const independent = countModel(bytesToIds(train), bytesToIds(test));
    expect(report.testTokens).toBe(bytesToIds(test).filter((t) => t !== SEP).length);
    expect(Math.abs(report.baselines!.unigram.top1 - independent.unigram)).toBeLessThan(0.003);
    expect(Math.abs(report.baselines!.bigram.top1 - independent.bigram)).toBeLessThan(0.003);
    expect(report.baselines!.bigram.top1).toBeGreaterThan(report.baselines!.unigram.top1);
    for (const a of ['canonical', 'state'] as const) {
      const s = report.addressing[a]!;
      expect(s.top1).toBeGreaterThan(0);
      expect(s.top5).toBeGreaterThanOrEqual(s.top1);
      expect(s.mrr).toBeGreaterThanOrEqual(s.top1);
      expect(s.mrr).toBeLessThanOrEqual(s.top5 + (1 - s.top5) / 6);
      expect(s.coverage).toBeGreaterThan(0.9);
      expect(s.bitsPerToken).toBeGreaterThan(0);
      expect(s.bitsPerToken).toBeLessThan(Math.log2(tokenizer.vocabSize / FLOOR_SHARE));
      expect(s.tokensPerSecond).toBeGreaterThan(0);
    }
    // The canonical store keys nearly everything under one representative: close to a unigram model.
    expect(report.addressing.state!.top1).toBeGreaterThan(report.addressing.canonical!.top1);
  });

  it('scores each token against a fresh scan of its pre-state, found byte by byte through the transition table, and learns nothing', () => {
    const { train, test } = split(1500);
    const ids = bytesToIds(test);
    const prefs = resolvePreferences();
    for (const addressing of ['canonical', 'state'] as const) {
      const store = OrbitStore.open(`${tmp.dir}/walk-${addressing}.bin`, { addressing });
      new IntelligenceEngine(info, store).processEgressBulk(train);
      store.commit();
      const size = store.size;
      const result = walkTestTape(info, store, test, { tokenizer });
      expect(store.size).toBe(size);

      // Independently: single-byte STT transitions and a fresh, unbudgeted scan for every token.
      let state = info.archetypeIndex;
      let pre = state;
      let k = 0;
      let startOfToken = true;
      const sums = { n: 0, top1: 0, top5: 0, rr: 0, covered: 0, bits: 0 };
      const scratch = new Float64Array(prefs.candidatesPerState);
      for (const byte of test) {
        const intron = byte ^ 0xaa;
        if (startOfToken) pre = state;
        state = info.stt![state * 256 + intron]!;
        startOfToken = (intron & 0x80) === 0;
        if (!startOfToken) continue;
        const target = ids[k++]!;
        if (target === SEP) continue;
        sums.n++;
        const context = addressing === 'canonical' ? info.phenomenology[pre]! : pre;
        const list = new CandidateList(new StateScorer(info, context), prefs.candidatesPerState);
        scanCandidates(store, list, prefs.scanLimit, 1e9);
        const rank = [...list.tokens.subarray(0, list.count)].indexOf(target);
        // No candidates: generation draws uniformly from the ordinary tokens ([CLS] is not one).
        let p = tokenizer.ordinaryIds.includes(target) ? 1 / tokenizer.ordinaryIds.length : 0;
        if (list.count > 0) {
          sums.covered++;
          const t = temperatureFromTheta(info.thetaTable[pre]!, prefs.temperatureFloor, prefs.temperatureCap, prefs.thetaLow);
          p = samplingProbability(list.scores, list.count, t, rank, scratch);
        }
        if (rank === 0) sums.top1++;
        if (rank >= 0 && rank < 5) sums.top5++;
        if (rank >= 0) sums.rr += 1 / (rank + 1);
        sums.bits -= Math.log2((1 - FLOOR_SHARE) * p + FLOOR_SHARE / tokenizer.vocabSize);
      }
      expect(result.testTokens).toBe(sums.n);
      expect(result.top1).toBe(sums.top1 / sums.n);
      expect(result.top5).toBe(sums.top5 / sums.n);
      expect(result.mrr).toBeCloseTo(sums.rr / sums.n, 12);
      expect(result.coverage).toBe(sums.covered / sums.n);
      expect(result.bitsPerToken).toBeCloseTo(sums.bits / sums.n, 9);
      store.close();
    }
  });

  it('measures an existing store under its own addressing', () => {
    const { train, test } = split(500);
    const store = OrbitStore.open(`${tmp.dir}/own.bin`, { addressing: 'state' });
    new IntelligenceEngine(info, store).processEgressBulk(train);
    const report = evaluate({ info, store, test, tokenizer });
    expect(Object.keys(report.addressing)).toEqual(['state']);
    expect(report.baselines).toBeUndefined();
    store.close();
  });
});
