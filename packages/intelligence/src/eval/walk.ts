import { KEEP_HALF, XFORM_HALF, type InformationEngine } from '@gyro/information';
import type { PhenotypeStore } from '@gyro/store';
import type { GyroTokenizer } from '@gyro/tokenizer';
import { TokenAssembler } from '../egress/token-assembler.js';
import { Generator } from '../generation/Generator.js';
import { samplingProbability, samplingWeights } from '../generation/sampler.js';
import { temperatureFromTheta } from '../generation/temperature.js';
import { resolvePreferences, type Preferences } from '../preferences.js';
import { EngineCounters } from '../probes.js';
import { Random } from '../random.js';
import { TOP_K } from './count-baselines.js';

/** What `gyro eval` reports for one store (accuracies and coverage as fractions). */
export interface ModelScores {
  top1: number;
  top5: number;
  /** Mean reciprocal rank of the target in the candidate list (0 when it is not there). */
  mrr: number;
  /** Share of test tokens whose context had at least one candidate. */
  coverage: number;
  /** Cross-entropy of the generation's sampling distribution, floored (see FLOOR_SHARE). */
  bitsPerToken: number;
  tokensPerSecond: number;
}

export interface WalkResult extends ModelScores {
  /** Tokens scored: every well-formed token of the test stream but [SEP]. */
  testTokens: number;
  seconds: number;
}

/**
 * Share of the uniform distribution over the vocabulary mixed into the generation's own
 * distribution, so that a token generation could never emit costs a finite
 * log2(vocabulary/FLOOR_SHARE) bits (21.5 bits for BERT's 30,522) instead of infinity.
 */
export const FLOOR_SHARE = 0.01;

/**
 * Candidate retrieval as generation does it, except the time budget of a scan: a wall-clock
 * cut-off would make a measurement depend on the machine's load, so evaluation scans up to the
 * scan limit whatever it takes. A larger cache only saves rescans; it changes no list.
 */
export const EVAL_PREFERENCES: Partial<Preferences> = { scanBudgetMs: 1e9, candidateCacheSize: 16_384 };

export interface WalkOptions {
  tokenizer: GyroTokenizer;
  /** Generation preferences (temperature, candidates per state, scan limit…); EVAL_PREFERENCES on top. */
  preferences?: Partial<Preferences>;
  /** Called about every 1 MiB of the tape with the bytes walked so far. */
  onProgress?: (bytes: number) => void;
}

/**
 * Walk the masked test bytes from the archetype as one stream, never learning, and score each
 * token against the candidates generation would draw from at its pre-state (the Generator
 * itself: same context, cache, scan and scores), with the probability generation's sampler
 * gives it at the θ-derived temperature. A context without candidates falls back, as generation
 * does, to a uniform draw over the ordinary tokens.
 */
export function walkTestTape(info: InformationEngine, store: PhenotypeStore, bytes: Uint8Array, options: WalkOptions): WalkResult {
  const prefs = resolvePreferences({ ...EVAL_PREFERENCES, ...options.preferences, scanBudgetMs: EVAL_PREFERENCES.scanBudgetMs });
  const generator = new Generator(info, store, prefs, new EngineCounters(), new Random(0));
  const { tokenizer } = options;
  const sep = tokenizer.sepId;
  const ordinary = new Uint8Array(tokenizer.vocabSize);
  for (const id of tokenizer.ordinaryIds) ordinary[id] = 1;
  const fallbackP = 1 / tokenizer.ordinaryIds.length;
  const floor = FLOOR_SHARE / tokenizer.vocabSize;
  const keep = 1 - FLOOR_SHARE;
  const contexts = generator.contexts;
  const thetas = info.thetaTable;
  const scratch = new Float64Array(prefs.candidatesPerState);
  // The sum of the sampling weights depends only on the state (its context's list, which the
  // walk never changes, and its θ): computed once per state, then one weight per token.
  const totals = new Float64Array(info.size).fill(-1);
  const asm = new TokenAssembler(prefs.maxTokenBytes);

  let tokens = 0;
  let top1 = 0;
  let top5 = 0;
  let covered = 0;
  let rr = 0;
  let bits = 0;
  const t0 = performance.now();
  const onProgress = options.onProgress;
  const xform = XFORM_HALF;
  const keepHalf = KEEP_HALF;
  let h = info.halves[info.archetypeIndex]!;
  for (let i = 0; i < bytes.length; i++) {
    if ((i & 0xfffff) === 0 && onProgress !== undefined) onProgress(i);
    const intron = bytes[i]! ^ 0xaa;
    const pre = h;
    h = (h ^ xform[intron]!) & keepHalf[intron]!;
    const id = asm.push(intron, pre);
    if (id < 0 || id === sep) continue;
    tokens++;
    const state = info.indexOfHalf(asm.completedPreState);
    const list = generator.candidates(contexts[state]!);
    let p: number;
    if (list.count === 0) {
      p = id < ordinary.length && ordinary[id] === 1 ? fallbackP : 0;
    } else {
      covered++;
      const rank = list.indexOf(id);
      if (rank >= 0) {
        if (rank === 0) top1++;
        if (rank < TOP_K) top5++;
        rr += 1 / (rank + 1);
      }
      const t = temperatureFromTheta(thetas[state]!, prefs.temperatureFloor, prefs.temperatureCap, prefs.thetaLow);
      if (rank >= 0 && list.count > 3 && totals[state]! < 0) totals[state] = samplingWeights(list.scores, list.count, t, scratch);
      p = samplingProbability(list.scores, list.count, t, rank, scratch, totals[state]!);
    }
    bits -= Math.log2(keep * p + floor);
  }
  const seconds = (performance.now() - t0) / 1000;
  onProgress?.(bytes.length);
  const f = (x: number) => (tokens === 0 ? 0 : x / tokens);
  return {
    testTokens: tokens,
    top1: f(top1),
    top5: f(top5),
    mrr: f(rr),
    coverage: f(covered),
    bitsPerToken: f(bits),
    tokensPerSecond: Math.round(tokens / Math.max(seconds, 1e-9)),
    seconds,
  };
}
