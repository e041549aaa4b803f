import type { InformationEngine } from '@gyro/information';
import type { PhenotypeStore } from '@gyro/store';
import type { Preferences } from '../preferences.js';
import { probeActive, probeReport, type EngineCounters } from '../probes.js';
import type { Random } from '../random.js';
import { contextTableOf } from '../addressing.js';
import { CandidateCache, type CandidateList } from './candidate-cache.js';
import { drawIndex, GREEDY_BELOW, logprobOf, samplingWeights } from './sampler.js';
import { scanCandidates } from './scan.js';
import { StateScorer } from './score.js';
import { temperatureFromTheta } from './temperature.js';

/** Marks a token chosen by the random fallback (no candidates for the state). */
export const FALLBACK = -1;

/** A caller's overrides of the reference sampling (OpenAI's `temperature` and `top_p`). */
export interface SamplingOptions {
  /**
   * Replaces the θ-derived temperature. Below 0.1 (0 included) generation is deterministic:
   * greedy choices, no random draw, no time-based cut-off (scan budget, wall-time guard).
   */
  temperature?: number | undefined;
  /** Nucleus sampling: the smallest set of top candidates holding this share of the mass (default 1). */
  topP?: number | undefined;
}

/** The log-probability of a chosen token and of the most likely tokens, under the distribution it was drawn from. */
export interface TokenLogprob {
  token: number;
  logprob: number;
  /** Most likely first; at most the number asked for. */
  top: Array<{ token: number; logprob: number }>;
}

/**
 * Chooses the next token for a state (SPEC §6.3): candidates of its context (the representative
 * in a canonical store, the state itself in a state store) from the cache (or a budgeted scan on
 * a miss), temperature from θ of the state (or the caller's), seeded sampling.
 */
export class Generator {
  readonly cache: CandidateCache;
  /** State index → the state the store keys it under (contextTable). */
  readonly contexts: Int32Array;
  /** Overrides of the reference sampling for the choices that follow (the caller resets them). */
  sampling: SamplingOptions = {};
  /** Alternatives to report per choice; -1 (default) records no logprobs. */
  topLogprobs = -1;
  /** The logprobs of the last choice, when `topLogprobs` ≥ 0 and it had candidates. */
  lastLogprob: TokenLogprob | undefined;
  private readonly scratch: Float64Array;
  /** The weights of the last choice (valid until the next `choose`). */
  get lastWeights(): Float64Array {
    return this.scratch;
  }
  /** The last decision of `choose` (read by a trace before the token is emitted). */
  lastList: CandidateList | undefined;
  lastTemperature = 0;
  /** Rank of the last chosen candidate, −1 after a fallback. */
  lastRank = -1;
  /** samplingWeights' sum for the last choice (0: greedy); the weights are in `lastWeights`. */
  lastTotal = 0;

  constructor(
    private readonly info: InformationEngine,
    private readonly store: PhenotypeStore,
    private readonly prefs: Preferences,
    private readonly counters: EngineCounters,
    private readonly random: Random,
  ) {
    this.cache = new CandidateCache(prefs.candidateCacheSize, prefs.candidatesPerState, prefs.scanLimit, counters);
    this.scratch = new Float64Array(prefs.candidatesPerState);
    this.contexts = contextTableOf(info, store);
  }

  /**
   * A caller's temperature below 0.1: every choice is greedy and must not depend on timing, so
   * scans run without their time budget (the fallback uses no random draw either).
   */
  get deterministic(): boolean {
    return (this.sampling.temperature ?? Infinity) < GREEDY_BELOW;
  }

  /**
   * The (cached or freshly scanned) candidate list of representative `rep`. `untimed` scans with
   * no time budget (and rescans a cached list the budget cut), so the list depends on the store
   * alone: what a deterministic (greedy) choice needs.
   */
  candidates(rep: number, untimed = false): CandidateList {
    const version = this.store.stateVersion(rep);
    const cached = this.cache.get(rep, version);
    if (cached !== undefined && !(untimed && cached.timeCut)) {
      this.counters.cacheLookup(true);
      return cached;
    }
    this.counters.cacheLookup(false);
    const t0 = performance.now();
    const list = this.cache.blank(new StateScorer(this.info, rep), version);
    const cut = scanCandidates(this.store, list, this.prefs.scanLimit, untimed ? Infinity : this.prefs.scanBudgetMs);
    list.timeCut = cut;
    if (cut) this.counters.budgetCutoff();
    this.cache.set(list);
    if (probeActive('candidates'))
      probeReport(
        'candidates',
        performance.now() - t0,
        `rep=${rep} scanned=${list.scanned} kept=${list.count}${cut ? ' (time budget)' : list.complete ? '' : ' (scan limit)'}`,
      );
    return list;
  }

  /**
   * A token for the state at `stateIndex`, or FALLBACK when its context has no candidates (the
   * caller draws a random ordinary token).
   */
  choose(stateIndex: number): number {
    this.lastLogprob = undefined;
    const list = this.candidates(this.contexts[stateIndex]!, this.deterministic);
    const p = this.prefs;
    const t = this.sampling.temperature ?? temperatureFromTheta(this.info.thetaTable[stateIndex]!, p.temperatureFloor, p.temperatureCap, p.thetaLow);
    this.lastList = list;
    this.lastTemperature = t;
    this.lastRank = -1;
    this.lastTotal = 0;
    if (list.count === 0) return FALLBACK;
    const w = this.scratch;
    const total = samplingWeights(list.scores, list.count, t, w, this.sampling.topP ?? 1);
    const i = total === 0 ? 0 : drawIndex(w, list.count, total, this.random);
    this.lastRank = i;
    this.lastTotal = total;
    if (this.topLogprobs >= 0) {
      // Candidates are sorted by score, and the weights fall with the score: the top is a prefix.
      const top: TokenLogprob['top'] = [];
      for (let j = 0; j < Math.min(this.topLogprobs, list.count); j++) top.push({ token: list.tokens[j]!, logprob: logprobOf(w, j, total) });
      this.lastLogprob = { token: list.tokens[i]!, logprob: logprobOf(w, i, total), top };
    }
    return list.tokens[i]!;
  }
}
