import type { PhenotypeStore } from '@gyro/store';
import { confFromHalfBits, forEachKeyOfState } from '@gyro/store';
import type { CandidateList } from './candidate-cache.js';

/** How often (in entries) the scan looks at the clock: reading it per entry would cost more than scoring. */
const CLOCK_EVERY = 16;

/**
 * Fill `list` from the store's keys for its representative (SPEC §6.3 step 3): score up to
 * `scanLimit` pre-state entries (post-state entries, mask bit 0 set, are skipped), stop early
 * when `budgetMs` runs out. Returns true when the budget cut the scan short. Each key's value
 * comes with the key (forEachKeyOfState), not from a second lookup.
 */
export function scanCandidates(store: PhenotypeStore, list: CandidateList, scanLimit: number, budgetMs: number): boolean {
  const scorer = list.scorer;
  const deadline = performance.now() + budgetMs;
  let scanned = 0;
  let seen = 0;
  let cut = false;
  let complete = true;
  forEachKeyOfState(store, list.rep, (token, packed) => {
    if (scanned >= scanLimit) {
      complete = false;
      return false;
    }
    if (++seen % CLOCK_EVERY === 0 && performance.now() > deadline) {
      cut = true;
      complete = false;
      return false;
    }
    const mask = (packed >>> 16) & 0xff;
    if ((mask & 1) !== 0) return true;
    scanned++;
    list.offer(token, scorer.score(token, mask, confFromHalfBits(packed & 0xffff)));
    return true;
  });
  list.scanned = scanned;
  list.complete = complete;
  return cut;
}
