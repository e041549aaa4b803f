import type { Random } from '../random.js';

/** ln(s − min + 1e-8)/T: the log weight of a score (SPEC §6.3 step 5). */
function logWeight(score: number, min: number, temperature: number): number {
  return Math.log(score - min + 1e-8) / temperature;
}

/**
 * The sampling weights of SPEC §6.3 step 5 for scores sorted in descending order:
 * scratch[i] = exp(ln(s_i − min(s) + 1e-8)/T) relative to the largest term (computed in log
 * space). Returns their sum. `scratch` holds at least `count` doubles, so nothing is allocated.
 */
export function samplingWeights(scores: Float64Array, count: number, temperature: number, scratch: Float64Array): number {
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
  return total;
}

/**
 * scratch[index] of samplingWeights, alone, for scores sorted in descending order (a candidate
 * list's): two logarithms and one exponential, whatever `count`.
 */
export function samplingWeightAt(scores: Float64Array, count: number, temperature: number, index: number): number {
  const min = scores[count - 1]!;
  return Math.exp(logWeight(scores[index]!, min, temperature) - logWeight(scores[0]!, min, temperature));
}

/** Whether generation takes the best candidate outright (at most 3 of them, or T < 0.1). */
function takesBest(count: number, temperature: number): boolean {
  return count <= 3 || temperature < 0.1;
}

/**
 * Pick an index from scores sorted in descending order (SPEC §6.3 step 5): the best one when
 * T < 0.1 or there are at most 3; otherwise sample with probability ∝ samplingWeights.
 */
export function sampleIndex(scores: Float64Array, count: number, temperature: number, random: Random, scratch: Float64Array): number {
  if (takesBest(count, temperature)) return 0;
  const total = samplingWeights(scores, count, temperature, scratch);
  let u = random.next() * total;
  for (let i = 0; i < count; i++) {
    u -= scratch[i]!;
    if (u < 0) return i;
  }
  return count - 1;
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
