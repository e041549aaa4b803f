import type { Random } from '../random.js';

/**
 * Pick an index from scores sorted in descending order (SPEC §6.3 step 5): the best one when
 * T < 0.1 or there are at most 3; otherwise sample with probability ∝
 * exp(ln(s − min(s) + 1e-8)/T), computed in log space against the largest term. `scratch`
 * holds at least `count` doubles so sampling allocates nothing.
 */
export function sampleIndex(scores: Float64Array, count: number, temperature: number, random: Random, scratch: Float64Array): number {
  if (count <= 3 || temperature < 0.1) return 0;
  let min = Infinity;
  for (let i = 0; i < count; i++) if (scores[i]! < min) min = scores[i]!;
  let maxLog = -Infinity;
  for (let i = 0; i < count; i++) {
    const l = Math.log(scores[i]! - min + 1e-8) / temperature;
    scratch[i] = l;
    if (l > maxLog) maxLog = l;
  }
  let total = 0;
  for (let i = 0; i < count; i++) {
    const w = Math.exp(scratch[i]! - maxLog);
    scratch[i] = w;
    total += w;
  }
  let u = random.next() * total;
  for (let i = 0; i < count; i++) {
    u -= scratch[i]!;
    if (u < 0) return i;
  }
  return count - 1;
}
