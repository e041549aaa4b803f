import type { Random } from '../random.js';

/** ln(s − min + 1e-8)/T: the log weight of a score (SPEC §6.3 step 5). */
function logWeight(score: number, min: number, temperature: number): number {
  return Math.log(score - min + 1e-8) / temperature;
}

/** Temperatures below this choose greedily (the reference's rule for its own θ-derived T). */
export const GREEDY_BELOW = 0.1;

/** Whether generation takes the best candidate outright (at most 3 of them, or T < 0.1). */
function takesBest(count: number, temperature: number): boolean {
  return count <= 3 || temperature < GREEDY_BELOW;
}

/**
 * The one sampling distribution of generation (SPEC §6.3 step 5), over scores sorted in
 * descending order. It writes unnormalised weights into `scratch[0..count)` and returns their
 * sum; 0 means the choice is greedy (index 0, probability 1, no random draw): at most 3
 * candidates, T < 0.1, or a nucleus of one. Otherwise weight = exp(ln(s − min(s) + 1e-8)/T)
 * relative to the largest term (computed in log space); `topP` < 1 keeps the smallest top prefix
 * whose mass reaches `topP` of the total (nucleus sampling) and zeroes the rest. The sampler
 * draws from these weights, logprobs and `gyro eval` read them, so none can disagree.
 * `scratch` holds at least `count` doubles, so nothing is allocated.
 */
export function samplingWeights(scores: Float64Array, count: number, temperature: number, scratch: Float64Array, topP = 1): number {
  if (takesBest(count, temperature) || topP <= 0) return 0;
  let min = Infinity;
  for (let i = 0; i < count; i++) if (scores[i]! < min) min = scores[i]!;
  let maxLog = -Infinity;
  for (let i = 0; i < count; i++) {
    const l = logWeight(scores[i]!, min, temperature);
    scratch[i] = l;
    if (l > maxLog) maxLog = l;
  }
  let total = 0;
  for (let i = 0; i < count; i++) {
    const w = Math.exp(scratch[i]! - maxLog);
    scratch[i] = w;
    total += w;
  }
  if (topP >= 1) return total;
  // Weights fall with the scores (the transform is monotone), so the nucleus is a prefix.
  let kept = 0;
  let mass = 0;
  while (kept < count && mass < topP * total) mass += scratch[kept++]!;
  if (kept <= 1) return 0;
  for (let i = kept; i < count; i++) scratch[i] = 0;
  return mass;
}

/**
 * scratch[index] of samplingWeights (no nucleus), alone, for scores sorted in descending order (a
 * candidate list's): two logarithms and one exponential, whatever `count`.
 */
export function samplingWeightAt(scores: Float64Array, count: number, temperature: number, index: number): number {
  const min = scores[count - 1]!;
  return Math.exp(logWeight(scores[index]!, min, temperature) - logWeight(scores[0]!, min, temperature));
}

/** Draw an index from weights `w[0..count)` summing to `total` (> 0). */
export function drawIndex(w: Float64Array, count: number, total: number, random: Random): number {
  let u = random.next() * total;
  let last = 0;
  for (let i = 0; i < count; i++) {
    if (w[i] === 0) continue;
    last = i;
    u -= w[i]!;
    if (u < 0) return i;
  }
  return last; // rounding left u ≥ 0: the last index with weight
}

/**
 * Pick an index from scores sorted in descending order: greedy or drawn from `samplingWeights`.
 * `scratch` holds at least `count` doubles.
 */
export function sampleIndex(scores: Float64Array, count: number, temperature: number, random: Random, scratch: Float64Array, topP = 1): number {
  const total = samplingWeights(scores, count, temperature, scratch, topP);
  return total === 0 ? 0 : drawIndex(scratch, count, total, random);
}

/** OpenAI's floor for the log-probability of a token the distribution cannot pick (JSON has no −∞). */
export const IMPOSSIBLE_LOGPROB = -9999;

/** ln p of index `i` under the weights `samplingWeights` returned `total` for (0: greedy). */
export function logprobOf(w: Float64Array, i: number, total: number): number {
  if (total === 0) return i === 0 ? 0 : IMPOSSIBLE_LOGPROB;
  const p = w[i]! / total;
  return p > 0 ? Math.max(IMPOSSIBLE_LOGPROB, Math.log(p)) : IMPOSSIBLE_LOGPROB;
}

/**
 * The probability that sampleIndex returns `index` (0 outside 0..count-1): what `gyro eval`
 * scores. `total`, when the caller knows it, is samplingWeights' sum for these scores and this
 * temperature (it depends on nothing else, so a caller may keep it per list and temperature).
 */
export function samplingProbability(scores: Float64Array, count: number, temperature: number, index: number, scratch: Float64Array, total = -1): number {
  if (index < 0 || index >= count) return 0;
  if (takesBest(count, temperature)) return index === 0 ? 1 : 0;
  if (total < 0) {
    total = samplingWeights(scores, count, temperature, scratch);
    return scratch[index]! / total;
  }
  return samplingWeightAt(scores, count, temperature, index) / total;
}
