import type { InformationEngine } from '@gyro/information';
import type { PhenotypeStore } from '@gyro/store';
import type { Preferences } from '../preferences.js';
import type { Counters } from '../probes.js';
import { metrics, probeActive, probeReport } from '../probes.js';
import type { Random } from '../random.js';
import { contextTableOf } from '../addressing.js';
import { CandidateCache, type CandidateList } from './candidate-cache.js';
import { sampleIndex } from './sampler.js';
import { scanCandidates } from './scan.js';
import { StateScorer } from './score.js';
import { temperatureFromTheta } from './temperature.js';

/** Marks a token chosen by the random fallback (no candidates for the state). */
export const FALLBACK = -1;

/**
 * Chooses the next token for a state (SPEC §6.3): candidates of its context (the representative
 * in a canonical store, the state itself in a state store) from the cache (or a budgeted scan on a miss), temperature from θ of the state, seeded sampling.
 */
export class Generator {
  readonly cache: CandidateCache;
  /** State index → the state the store keys it under (contextTable). */
  readonly contexts: Int32Array;
  private readonly scratch: Float64Array;

  constructor(
    private readonly info: InformationEngine,
    private readonly store: PhenotypeStore,
    private readonly prefs: Preferences,
    private readonly counters: Counters,
    private readonly random: Random,
  ) {
    this.cache = new CandidateCache(prefs.candidateCacheSize, prefs.candidatesPerState, prefs.scanLimit);
    this.scratch = new Float64Array(prefs.candidatesPerState);
    this.contexts = contextTableOf(info, store);
  }

  /** The (cached or freshly scanned) candidate list of representative `rep`. */
  candidates(rep: number): CandidateList {
    const version = this.store.stateVersion(rep);
    const cached = this.cache.get(rep, version);
    if (cached !== undefined) {
      this.counters.cacheHits++;
      metrics.cacheHits++;
      return cached;
    }
    this.counters.cacheMisses++;
    metrics.cacheMisses++;
    const t0 = performance.now();
    const list = this.cache.blank(new StateScorer(this.info, rep), version);
    const cut = scanCandidates(this.store, list, this.prefs.scanLimit, this.prefs.scanBudgetMs);
    if (cut) {
      this.counters.budgetCutoffs++;
      metrics.budgetCutoffs++;
    }
    this.cache.set(list);
    if (probeActive('candidates')) probeReport('candidates', performance.now() - t0, `rep=${rep} scanned=${list.scanned} kept=${list.count}${cut ? ' (time budget)' : list.complete ? '' : ' (scan limit)'}`);
    return list;
  }

  /**
   * A token for the state at `stateIndex`, or FALLBACK when its context has no candidates (the caller draws a random ordinary token).
   */
  choose(stateIndex: number): number {
    const list = this.candidates(this.contexts[stateIndex]!);
    if (list.count === 0) return FALLBACK;
    const p = this.prefs;
    const t = temperatureFromTheta(this.info.thetaTable[stateIndex]!, p.temperatureFloor, p.temperatureCap, p.thetaLow);
    return list.tokens[sampleIndex(list.scores, list.count, t, this.random, this.scratch)]!;
  }
}
