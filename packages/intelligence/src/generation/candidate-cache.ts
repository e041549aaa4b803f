import { confFromHalfBits } from '@gyro/store';
import type { LearnWriteListener } from '../learning/InferenceEngine.js';
import type { StateScorer } from './score.js';

/**
 * The best candidates of one representative, in descending score order (ties keep scan
 * order). `cutoff` is the best score among scanned entries that were not kept (−∞ when every
 * scanned entry was kept); `complete` says the scan saw every pre-state key of the state.
 */
export class CandidateList {
  readonly tokens: Uint32Array;
  readonly scores: Float64Array;
  count = 0;
  /** Pre-state entries the scan scored. */
  scanned = 0;
  cutoff = -Infinity;
  complete = false;
  /** The scan's time budget cut it short (a deterministic choice rescans such a list without one). */
  timeCut = false;
  version = 0;
  /** Asked for since the cache last passed over it (second-chance eviction). */
  used = false;

  constructor(
    public scorer: StateScorer,
    readonly capacity: number,
  ) {
    this.tokens = new Uint32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  get rep(): number {
    return this.scorer.rep;
  }

  /** Offer a scored candidate; keeps the best `capacity`, tracking the best one left out. */
  offer(token: number, score: number): void {
    const { tokens, scores, capacity } = this;
    let n = this.count;
    if (n === capacity) {
      const worst = scores[n - 1]!;
      if (score <= worst) {
        if (score > this.cutoff) this.cutoff = score;
        return;
      }
      if (worst > this.cutoff) this.cutoff = worst;
      n--;
    }
    let i = n;
    while (i > 0 && scores[i - 1]! < score) {
      scores[i] = scores[i - 1]!;
      tokens[i] = tokens[i - 1]!;
      i--;
    }
    scores[i] = score;
    tokens[i] = token;
    this.count = n + 1;
  }

  indexOf(token: number): number {
    const { tokens } = this;
    for (let i = 0; i < this.count; i++) if (tokens[i] === token) return i;
    return -1;
  }

  removeAt(i: number): void {
    const { tokens, scores } = this;
    for (let j = i + 1; j < this.count; j++) {
      tokens[j - 1] = tokens[j]!;
      scores[j - 1] = scores[j]!;
    }
    this.count--;
  }

  reset(scorer: StateScorer, version: number): void {
    this.scorer = scorer;
    this.count = 0;
    this.scanned = 0;
    this.cutoff = -Infinity;
    this.complete = false;
    this.timeCut = false;
    this.version = version;
    this.used = false;
  }
}

/**
 * Candidate lists per representative (SPEC §6.3 step 2), bounded, evicted by second chance
 * (CLOCK, an approximation of LRU): a hit only sets the list's `used` flag — no map reordering,
 * which cost more than the rest of a hit once the cache held thousands of lists — and eviction
 * passes over the oldest lists, sparing (and moving to the back) each one used since. A list is valid while
 * the store's version for its state is the one it was built at. The engine's own learning
 * writes are applied to a valid list in place (`applyWrite`) when the result is certain to
 * equal a fresh scan's (so feedback learning keeps the cache warm); any other change to the
 * state — or a write whose effect is uncertain — drops the list, so the next request rescans
 * exactly that state. This relies on the contract's iteration order: keys of a state come in
 * first-insertion order (an overlay: private keys, then public ones).
 */
export class CandidateCache implements LearnWriteListener {
  private readonly lists = new Map<number, CandidateList>();
  /** Lists dropped or evicted, reused to avoid allocating on refills. */
  private spare: CandidateList[] = [];

  constructor(
    readonly capacity: number,
    readonly perState: number,
    /** The scan limit fills use (a list stays complete only while it covers every key). */
    readonly scanLimit = 512,
    /** Told of each list kept valid by applying a write to it (the engine's `cacheUpdates`). */
    private readonly counters?: { cacheUpdate(): void },
  ) {}

  get size(): number {
    return this.lists.size;
  }

  /** The valid list for `rep` at `version`, or undefined (a stale list is dropped). */
  get(rep: number, version: number): CandidateList | undefined {
    const list = this.lists.get(rep);
    if (list === undefined) return undefined;
    if (list.version !== version) {
      this.lists.delete(rep);
      this.recycle(list);
      return undefined;
    }
    list.used = true;
    return list;
  }

  /** A cleared list for `scorer.rep`, to be filled by a scan and then `set`. */
  blank(scorer: StateScorer, version: number): CandidateList {
    const list = this.spare.pop() ?? new CandidateList(scorer, this.perState);
    list.reset(scorer, version);
    return list;
  }

  set(list: CandidateList): void {
    const old = this.lists.get(list.rep);
    if (old !== undefined && old !== list) this.recycle(old);
    this.lists.delete(list.rep);
    this.lists.set(list.rep, list);
    list.used = true;
    while (this.lists.size > this.capacity) this.evictOne();
  }

  /** Drop the oldest list not used since the last pass; the used ones move to the back, flag cleared. */
  private evictOne(): void {
    for (const [rep, list] of this.lists) {
      this.lists.delete(rep);
      if (list.used) {
        list.used = false;
        this.lists.set(rep, list);
      } else {
        this.recycle(list);
        return;
      }
    }
  }

  /** Whether a write to `rep` concerns this cache (cheap when the cache is empty). */
  wants(rep: number): boolean {
    return this.lists.size !== 0 && this.lists.has(rep);
  }

  /**
   * The engine wrote (rep, token) with `mask` and `confBits`, moving the state's version from
   * `before` to `after`. Keep the list only when it was valid at `before` and the new list is
   * exactly the one a fresh scan would build:
   * - a kept token changed: it was inside the scanned window and stays there (in an overlay a
   *   key moving to the private layer moves earlier, never out), so the window holds the same
   *   keys; it stays kept unless it fell below the best entry left out;
   * - any other token: only when the scan saw every key and still would, counting this one.
   */
  applyWrite(rep: number, token: number, mask: number, confBits: number, before: number, after: number): void {
    const list = this.lists.get(rep);
    if (list === undefined || list.version !== before) return;
    if ((mask & 1) !== 0) {
      this.drop(rep, list);
      return;
    }
    const score = list.scorer.score(token, mask, confFromHalfBits(confBits));
    const i = list.indexOf(token);
    if (i >= 0) {
      list.removeAt(i);
      if (score < list.cutoff) {
        this.drop(rep, list);
        return;
      }
      list.offer(token, score);
    } else if (list.complete && list.scanned < this.scanLimit) {
      list.offer(token, score);
      list.scanned++; // an over-count when the token was scanned already: only ever conservative
    } else {
      this.drop(rep, list);
      return;
    }
    list.version = after;
    this.counters?.cacheUpdate();
  }

  clear(): void {
    for (const list of this.lists.values()) this.recycle(list);
    this.lists.clear();
  }

  private drop(rep: number, list: CandidateList): void {
    this.lists.delete(rep);
    this.recycle(list);
  }

  private recycle(list: CandidateList): void {
    if (this.spare.length < 4) this.spare.push(list);
  }
}
