import type { InformationEngine } from '@gyro/information';
import type { PhenotypeStore } from '@gyro/store';
import { confFromHalfBits } from '@gyro/store';
import type { CandidateList } from './candidate-cache.js';
import type { ScoreTerms } from './score.js';

/** Candidates a trace lists unless the caller asks for another number. */
export const DEFAULT_TRACE_TOP = 10;

/** One candidate of a traced decision: its score terms (as `explain` lists them) and its sampling probability. */
export interface CandidateTrace extends ScoreTerms {
  probability: number;
}

/**
 * One generation decision (SPEC §6.3), read from the very list, temperature and weights the
 * generator used: the state before the token, its representative and orbit size, θ, the
 * temperature, and the best candidates with their score terms and sampling probabilities.
 */
export interface TokenTrace {
  /** The chosen token id. */
  token: number;
  stateIndex: number;
  /** The state's orbit representative. */
  rep: number;
  /** The state the store keys the candidates under (`explain`'s `rep`): the representative in a canonical store, the state itself in a state-addressed one. */
  context: number;
  orbitSize: number;
  theta: number;
  temperature: number;
  /** True when the state had no candidates and the token was drawn at random (SPEC §6.3). */
  fallback: boolean;
  /** Rank of the chosen token in the candidate list (0 = best), −1 for a fallback. */
  chosenRank: number;
  /** Candidates the generator held for the state (≤ candidatesPerState). */
  candidateCount: number;
  /** Whether the list covers every pre-state key of the state (no scan limit or budget cut). */
  complete: boolean;
  /** The best `top` candidates, in rank order, plus the chosen one when it ranks below them. */
  candidates: CandidateTrace[];
}

/**
 * The trace of a decision just made over `list` (before the token is emitted, so the store
 * still holds the entries the list was scored from), with the very weights the sampler drew
 * from (`weights[0..count)` summing to `total`; 0 = greedy: the best one, probability 1).
 * Allocates: only used when tracing.
 */
export function traceChoice(
  info: InformationEngine,
  store: PhenotypeStore,
  stateIndex: number,
  context: number,
  list: CandidateList | undefined,
  temperature: number,
  chosenRank: number,
  token: number,
  top: number,
  weights: Float64Array,
  total: number,
): TokenTrace {
  const count = list?.count ?? 0;
  const candidates: CandidateTrace[] = [];
  if (list !== undefined && count > 0) {
    const probability = (i: number) => (total === 0 ? (i === 0 ? 1 : 0) : weights[i]! / total);
    const ranks: number[] = [];
    for (let i = 0; i < Math.min(top, count); i++) ranks.push(i);
    if (chosenRank >= top) ranks.push(chosenRank);
    for (const i of ranks) {
      const id = list.tokens[i]!;
      const packed = store.getPacked(context, id);
      const terms = list.scorer.terms(id, (packed >>> 16) & 0xff, confFromHalfBits(packed & 0xffff));
      candidates.push({ ...terms, probability: probability(i) });
    }
  }
  return {
    token,
    stateIndex,
    rep: info.phenomenology[stateIndex]!,
    context,
    orbitSize: info.orbitSizes[context]!,
    theta: info.thetaTable[stateIndex]!,
    temperature,
    fallback: chosenRank < 0,
    chosenRank,
    candidateCount: count,
    complete: list?.complete ?? true,
    candidates,
  };
}
