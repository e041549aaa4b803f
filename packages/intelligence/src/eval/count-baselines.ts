import { InvalidArgumentError } from '../errors.js';

/** Pairs are counted as one exact double `previous·2^32 + next`: ids stay below 2^21. */
const ID_LIMIT = 2 ** 21;

/** How many predictions a top-k figure looks at. */
export const TOP_K = 5;

/** Top-1 and top-5 accuracy (fractions) of a baseline. */
export interface BaselineScores {
  top1: number;
  top5: number;
}

/**
 * The count models `gyro eval` reports beside the store, built from the training stream's
 * token ids: unigram (the most frequent training tokens) and bigram (the most frequent
 * followers of the previous token in the one continuous stream, backing off to unigram for the
 * places a token has fewer than five followers or has never been seen). Ties go to the lower
 * id. `skip` (the [SEP] id) is never a prediction nor a target, as it is never learned; it
 * still counts as a previous token.
 */
export class CountBaselines {
  /** The most frequent training tokens, best first (at most TOP_K). */
  readonly unigram: Uint32Array;
  /** Previous token → its most frequent followers, best first (at most TOP_K). */
  private readonly followers = new Map<number, Uint32Array>();

  constructor(
    train: Uint32Array,
    readonly skip: number,
  ) {
    const counts = new Map<number, number>();
    for (let i = 0; i < train.length; i++) {
      const t = train[i]!;
      if (t >= ID_LIMIT)
        throw new InvalidArgumentError(`token id ${t} is beyond the count models' range`, `ids below ${ID_LIMIT} (every BERT vocabulary) are counted`);
      if (t !== skip) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    this.unigram = Uint32Array.from(best([...counts.entries()]));
    // Pairs sorted by (previous, next) as one exact double each, then counted in runs.
    const pairs = new Float64Array(train.length);
    let n = 0;
    for (let i = 1; i < train.length; i++) if (train[i] !== skip) pairs[n++] = train[i - 1]! * 2 ** 32 + train[i]!;
    const sorted = pairs.subarray(0, n).sort();
    let group: Array<[number, number]> = [];
    let prev = -1;
    for (let i = 0; i < n; ) {
      const key = sorted[i]!;
      let j = i + 1;
      while (j < n && sorted[j] === key) j++;
      const p = Math.floor(key / 2 ** 32);
      if (p !== prev) {
        if (group.length) this.followers.set(prev, Uint32Array.from(best(group)));
        group = [];
        prev = p;
      }
      group.push([key - p * 2 ** 32, j - i]);
      i = j;
    }
    if (group.length) this.followers.set(prev, Uint32Array.from(best(group)));
  }

  /** The unigram prediction's rank of `target` (0-based, −1 beyond TOP_K). */
  unigramRank(target: number): number {
    return this.unigram.indexOf(target);
  }

  /** The bigram prediction's rank of `target` after `previous` (−1: the stream's first token). */
  bigramRank(previous: number, target: number): number {
    const own = previous < 0 ? undefined : this.followers.get(previous);
    if (own === undefined) return this.unigramRank(target);
    const i = own.indexOf(target);
    if (i >= 0) return i;
    // Back off: the unigram list, minus the followers already offered, fills the rest.
    let rank = own.length;
    for (let k = 0; k < this.unigram.length && rank < TOP_K; k++) {
      const u = this.unigram[k]!;
      if (own.includes(u)) continue;
      if (u === target) return rank;
      rank++;
    }
    return -1;
  }

  /** Top-1 and top-5 of both baselines over a test stream (targets: every id but `skip`). */
  score(test: Uint32Array): { unigram: BaselineScores; bigram: BaselineScores } {
    let n = 0;
    const hits = [0, 0, 0, 0]; // unigram top1, top5, bigram top1, top5
    for (let i = 0; i < test.length; i++) {
      const t = test[i]!;
      if (t === this.skip) continue;
      n++;
      const u = this.unigramRank(t);
      const b = this.bigramRank(i > 0 ? test[i - 1]! : -1, t);
      if (u === 0) hits[0]!++;
      if (u >= 0) hits[1]!++;
      if (b === 0) hits[2]!++;
      if (b >= 0) hits[3]!++;
    }
    const f = (h: number) => (n === 0 ? 0 : h / n);
    return { unigram: { top1: f(hits[0]!), top5: f(hits[1]!) }, bigram: { top1: f(hits[2]!), top5: f(hits[3]!) } };
  }
}

/** The TOP_K ids of [id, count] pairs with the highest counts, the lower id first on a tie. */
function best(pairs: Array<[number, number]>): number[] {
  return pairs
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, TOP_K)
    .map((p) => p[0]);
}
