/**
 * The in-memory index of an OrbitStore: (state, token) → (mask, conf bits), and state → its
 * tokens in first-insertion order. Everything lives in two Uint32Arrays, no object per entry.
 *
 * Key table: open addressing with linear probing, 4 words per bucket (16 bytes, a quarter of a
 * cache line, so a lookup usually touches one line): [state, token, value, next].
 *   value = conf bits (0-15) | mask (16-23) | flag (24-25): 0 empty, LIVE, DEAD.
 *   next  = bucket + 1 of the following key of the same state (0 ends the list).
 * The capacity is not a power of two (buckets are chosen by multiplying the hash into range),
 * so the table can grow by 1.13× and stay between 3/4 and 0.85 full: 18.8-21.3 bytes per entry.
 *
 * Deletion marks a bucket DEAD but leaves it (with its key) in place and in its state's list,
 * so delete is O(1); a later put of the same key revives it; the next rehash drops it.
 *
 * State table: power-of-two open addressing (at most 4/5 full), 3 words per state:
 * [state, OCCUPIED | head, tail]; new keys join the tail, so a state lists its keys in the order
 * they were first put. States stay in the table once seen.
 *
 * Versions: every put or delete stamps a fresh value of a store-wide clock into one of up to
 * 65,536 counters chosen by the state's hash (at most 256 KiB, cache-resident; a small store
 * starts with 64 and doubles them, copying, as it meets more states), so an overwrite costs no
 * state-table lookup. A state's version therefore changes on every write to it, never repeats
 * while the index lives, and may also change when a state sharing its counter is written: a
 * cache keyed by it is sometimes invalidated needlessly, never kept stale.
 */
import { ONTOLOGY_SIZE } from '@gyro/information';

export const LIVE = 0x1000000;
export const DEAD = 0x2000000;
export const VALUE_MASK = 0xffffff;
const MAX_LOAD = 0.85;
const TARGET_LOAD = 0.75;
const MIN_CAPACITY = 16;
/** Words per state-table slot: state, OCCUPIED | head, tail. */
const SW = 3;
const OCCUPIED = 0x80000000;
const HEAD = 0x7fffffff;
const MAX_VERSION_SLOTS = 1 << 16;

export function hashKey(state: number, token: number): number {
  let h = Math.imul(state, 0x9e3779b1) ^ token;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashState(state: number): number {
  let h = Math.imul(state ^ (state >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** State-table slots for `states` states: a power of two, at most 4/5 full. */
function stateSlotsFor(states: number): number {
  let slots = 64;
  while (states * 5 > slots * 4) slots *= 2;
  return slots;
}

export function capacityFor(entries: number): number {
  return Math.max(MIN_CAPACITY, Math.ceil(entries / TARGET_LOAD) + 1);
}

/** The raw arrays and counters, as a sidecar saves and restores them. */
export interface KeyIndexImage {
  buckets: Uint32Array;
  states: Uint32Array;
  live: number;
  used: number;
  stateCount: number;
  clock: number;
}

export class KeyIndex {
  buckets: Uint32Array;
  private capacity: number;
  private scale: number;
  private maxUsed: number;
  /** Live keys. */
  live = 0;
  /** Live + dead buckets. */
  used = 0;
  states: Uint32Array;
  private stateSlots: number;
  stateCount = 0;
  clock = 0;
  /** Version counters (a power of two of them), indexed by the top bits of a Fibonacci hash of the state. */
  versions = new Uint32Array(64);
  private versionShift = 32 - 6;

  constructor(expectedEntries = 0, image?: KeyIndexImage) {
    if (image) {
      this.buckets = image.buckets;
      this.states = image.states;
      this.live = image.live;
      this.used = image.used;
      this.stateCount = image.stateCount;
      this.clock = image.clock;
      this.capacity = this.buckets.length >>> 2;
    } else {
      this.capacity = capacityFor(expectedEntries);
      this.buckets = new Uint32Array(this.capacity * 4);
      // Keys' states are physics states, so n entries hold at most min(n, ONTOLOGY_SIZE) of
      // them: sized once here instead of doubling ~14 times during a replay; trim() gives
      // back what stays unused (untouched pages of it cost nothing meanwhile).
      this.states = new Uint32Array(stateSlotsFor(Math.min(expectedEntries, ONTOLOGY_SIZE)) * SW);
    }
    this.scale = this.capacity / 2 ** 32;
    this.maxUsed = Math.floor(this.capacity * MAX_LOAD);
    this.stateSlots = this.states.length / SW;
  }

  image(): KeyIndexImage {
    const { buckets, states, live, used, stateCount, clock } = this;
    return { buckets, states, live, used, stateCount, clock };
  }

  /** Continue another index's clock and version counters (a rebuild while readers hold versions). */
  inheritVersions(from: KeyIndex): void {
    this.clock = from.clock;
    this.versions = from.versions;
    this.versionShift = from.versionShift;
  }

  /** Make an empty index's key table big enough for `entries` keys without growing. */
  reserve(entries: number): void {
    if (this.used !== 0) throw new Error('reserve() needs an empty index');
    const capacity = capacityFor(entries);
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    this.buckets = new Uint32Array(capacity * 4);
    this.scale = capacity / 2 ** 32;
    this.maxUsed = Math.floor(capacity * MAX_LOAD);
  }

  /**
   * Add a state whose list a bulk build linked itself (see LogIndexBuilder): head and tail are
   * bucket + 1 of its first and last key.
   */
  adoptState(state: number, head: number, tail: number): void {
    const s = this.stateSlot(state, true) * SW;
    this.states[s + 1] = OCCUPIED | head;
    this.states[s + 2] = tail;
  }

  /** Bytes held by the index arrays. */
  get bytes(): number {
    return this.buckets.byteLength + this.states.byteLength;
  }

  /** The bucket holding the key (live or dead), or -1. */
  find(state: number, token: number): number {
    const t = this.buckets;
    const cap = this.capacity;
    let b = (hashKey(state, token) * this.scale) >>> 0;
    for (;;) {
      const o = b << 2;
      if (t[o + 2] === 0) return -1;
      if (t[o] === state && t[o + 1] === token) return b;
      if (++b === cap) b = 0;
    }
  }

  /** `mask << 16 | confBits` of a live key, else -1. Allocation-free. */
  getPacked(state: number, token: number): number {
    const b = this.find(state, token);
    if (b < 0) return -1;
    const v = this.buckets[(b << 2) + 2]!;
    return v & LIVE ? v & VALUE_MASK : -1;
  }

  /** Insert or overwrite; `value` is `mask << 16 | confBits`. Bumps the state's version. */
  set(state: number, token: number, value: number): void {
    this.place(state, token, value);
    this.stamp(state);
  }

  /**
   * set without the version bump: for building an index nobody has read yet (opening a store),
   * where stamping would only cost time.
   */
  place(state: number, token: number, value: number): void {
    const t = this.buckets;
    const cap = this.capacity;
    let b = (hashKey(state, token) * this.scale) >>> 0;
    for (;;) {
      const o = b << 2;
      const v = t[o + 2]!;
      if (v === 0) {
        this.insertAt(b, state, token, value);
        return;
      }
      if (t[o] === state && t[o + 1] === token) {
        if (v & DEAD) this.live++;
        t[o + 2] = LIVE | value;
        return;
      }
      if (++b === cap) b = 0;
    }
  }

  /**
   * A new key into empty bucket b, at its state's tail. Kept out of place() so the overwrite
   * path stays small enough for V8 to inline into put.
   */
  private insertAt(b: number, state: number, token: number, value: number): void {
    const t = this.buckets;
    const s = this.stateSlot(state, true) * SW;
    const st = this.states;
    const o = b << 2;
    t[o] = state;
    t[o + 1] = token;
    t[o + 2] = LIVE | value;
    t[o + 3] = 0;
    const tail = st[s + 2]!;
    if (tail === 0) st[s + 1] = OCCUPIED | (b + 1);
    else t[((tail - 1) << 2) + 3] = b + 1;
    st[s + 2] = b + 1;
    this.live++;
    this.used++;
    if (this.used > this.maxUsed) this.rehash(capacityFor(this.live));
  }

  /**
   * Load (and discard) the home bucket and state slot of the records [start, end) of `words`
   * (3 words per record: state, token, …). The loads are independent, so the CPU overlaps their
   * cache misses; placing the same records right after finds their lines in cache. A software
   * prefetch for bulk loading; returns a value only so the loads cannot be optimised away.
   */
  prefetch(words: Uint32Array, start: number, end: number): number {
    const t = this.buckets;
    const st = this.states;
    const mask = this.stateSlots - 1;
    const scale = this.scale;
    let sink = 0;
    for (let o = start * 3; o < end * 3; o += 3) {
      const state = words[o]!;
      sink ^= t[(((hashKey(state, words[o + 1]!) * scale) >>> 0) << 2) + 2]!;
      sink ^= st[(hashState(state) & mask) * SW + 2]!;
    }
    return sink;
  }

  /**
   * place() for the records [start, end) of `words` (3 words each: state, token, w), in order,
   * with value `valueOfWord(w)`, and no version bump (the caller stamped each state already). The
   * batch's bucket loads are issued together first; keys already present are overwritten in a
   * second pass over warm lines; new keys, which also need their state's slot, get those slots
   * loaded together and are inserted last, in record order (so each state's list keeps the order
   * of first puts, and a key put twice in the batch ends with its last value). Returns a value
   * only so that the loads cannot be optimised away.
   */
  placeRecords(words: Uint32Array, start: number, end: number, valueOfWord: (w: number) => number): number {
    const t = this.buckets;
    const scale = this.scale;
    let sink = 0;
    for (let o = start * 3; o < end * 3; o += 3) sink ^= t[(((hashKey(words[o]!, words[o + 1]!) * scale) >>> 0) << 2) + 2]!;
    let fresh = this.freshScratch;
    if (fresh.length < end - start) fresh = this.freshScratch = new Uint32Array(end - start);
    let inserts = 0;
    for (let r = start; r < end; r++) {
      const o = r * 3;
      const b = this.find(words[o]!, words[o + 1]!);
      if (b < 0) fresh[inserts++] = r;
      else {
        const at = (b << 2) + 2;
        if (t[at]! & DEAD) this.live++;
        t[at] = LIVE | valueOfWord(words[o + 2]!);
      }
    }
    if (inserts === 0) return sink;
    const st = this.states;
    const mask = this.stateSlots - 1;
    for (let k = 0; k < inserts; k++) sink ^= st[(hashState(words[fresh[k]! * 3]!) & mask) * SW + 2]!;
    for (let k = 0; k < inserts; k++) {
      const o = fresh[k]! * 3;
      this.place(words[o]!, words[o + 1]!, valueOfWord(words[o + 2]!));
    }
    return sink;
  }

  /** Record numbers of a placeRecords batch's new keys (grown on demand, kept). */
  private freshScratch = new Uint32Array(128);

  /** Remove a live key; false when there was none. Bumps the state's version. */
  delete(state: number, token: number): boolean {
    if (!this.unplace(state, token)) return false;
    this.stamp(state);
    return true;
  }

  /** delete without the version bump (see place). */
  unplace(state: number, token: number): boolean {
    const b = this.find(state, token);
    if (b < 0) return false;
    const o = (b << 2) + 2;
    if (!(this.buckets[o]! & LIVE)) return false;
    this.buckets[o] = DEAD;
    this.live--;
    return true;
  }

  stateVersion(state: number): number {
    return this.versions[Math.imul(state, 0x9e3779b1) >>> this.versionShift]!;
  }

  /** First bucket + 1 of a state's list (0: none). */
  headOf(state: number): number {
    const s = this.stateSlot(state, false);
    return s < 0 ? 0 : this.states[s * SW + 1]! & HEAD;
  }

  /** Whether the state has a live key (its list may hold only dead ones). */
  hasLiveKey(state: number): boolean {
    const t = this.buckets;
    for (let p = this.headOf(state); p !== 0; p = t[((p - 1) << 2) + 3]!) if (t[((p - 1) << 2) + 2]! & LIVE) return true;
    return false;
  }

  /** Every state ever stored (some may have no live key left), in table order. */
  allStates(): Uint32Array {
    const out = new Uint32Array(this.stateCount);
    const st = this.states;
    let n = 0;
    for (let o = 0; o < st.length; o += SW) if (st[o + 1] !== 0) out[n++] = st[o]!;
    return out;
  }

  /** Copy the live tokens of a state into `out` (grown when short); returns how many. */
  tokensOf(state: number, out: Uint32Array): { count: number; out: Uint32Array } {
    const t = this.buckets;
    let n = 0;
    for (let p = this.headOf(state); p !== 0; ) {
      const o = (p - 1) << 2;
      if (t[o + 2]! & LIVE) {
        if (n === out.length) {
          const grown = new Uint32Array(Math.max(16, out.length * 2));
          grown.set(out);
          out = grown;
        }
        out[n++] = t[o + 1]!;
      }
      p = t[o + 3]!;
    }
    return { count: n, out };
  }

  /** Shrink the key table when it holds far more buckets than live keys need. */
  trim(): void {
    if (this.capacity > capacityFor(this.live) * 1.25) this.rehash(capacityFor(this.live));
    const slots = stateSlotsFor(this.stateCount);
    if (this.stateSlots > slots * 2) this.resizeStates(slots);
  }

  /** Give every state a new version: after the index was rebuilt under readers' feet. */
  stampAll(): void {
    this.clock = (this.clock + 1) >>> 0 || 1;
    this.versions.fill(this.clock);
  }

  /** Give the state a new version (put does this itself before the key reaches the index). */
  stamp(state: number): void {
    this.clock = (this.clock + 1) >>> 0 || 1;
    this.versions[Math.imul(state, 0x9e3779b1) >>> this.versionShift] = this.clock;
  }

  private stateSlot(state: number, add: boolean): number {
    const st = this.states;
    const mask = this.stateSlots - 1;
    let s = hashState(state) & mask;
    for (;;) {
      const o = s * SW;
      if (st[o + 1] === 0) break;
      if (st[o] === state) return s;
      s = (s + 1) & mask;
    }
    if (!add) return -1;
    if ((this.stateCount + 1) * 5 > this.stateSlots * 4) {
      this.resizeStates(this.stateSlots * 2);
      return this.stateSlot(state, true);
    }
    const o = s * SW;
    st[o] = state;
    st[o + 1] = OCCUPIED;
    st[o + 2] = 0;
    this.stateCount++;
    if (this.stateCount * 4 > this.versions.length && this.versions.length < MAX_VERSION_SLOTS) this.growVersions();
    return s;
  }

  /**
   * Double the version counters. A state's slot gains one more hash bit at the bottom, so slot
   * j of the new array copies slot j >> 1 of the old, where every state of slot j was counted
   * before: no state's version changes.
   */
  private growVersions(): void {
    const old = this.versions;
    const next = new Uint32Array(old.length * 2);
    for (let j = 0; j < next.length; j++) next[j] = old[j >>> 1]!;
    this.versions = next;
    this.versionShift--;
  }

  private resizeStates(slots: number): void {
    const old = this.states;
    const next = new Uint32Array(slots * SW);
    const mask = slots - 1;
    for (let o = 0; o < old.length; o += SW) {
      if (old[o + 1] === 0) continue;
      let s = hashState(old[o]!) & mask;
      while (next[s * SW + 1] !== 0) s = (s + 1) & mask;
      next.set(old.subarray(o, o + SW), s * SW);
    }
    this.states = next;
    this.stateSlots = slots;
  }

  /**
   * Move every live key into a table of `capacity` buckets, dropping dead ones and keeping each
   * state's order. Two sequential passes over the old table: place keys (remembering where each
   * went), then translate the list links, skipping dead buckets.
   */
  private rehash(capacity: number): void {
    const old = this.buckets;
    const oldCap = old.length >>> 2;
    const t = new Uint32Array(capacity * 4);
    const where = new Uint32Array(oldCap); // old bucket → new bucket + 1 (0: dead or empty)
    const scale = capacity / 2 ** 32;
    for (let ob = 0; ob < oldCap; ob++) {
      const oo = ob << 2;
      if (!(old[oo + 2]! & LIVE)) continue;
      let b = (hashKey(old[oo]!, old[oo + 1]!) * scale) >>> 0;
      while (t[(b << 2) + 2] !== 0) if (++b === capacity) b = 0;
      const o = b << 2;
      t[o] = old[oo]!;
      t[o + 1] = old[oo + 1]!;
      t[o + 2] = old[oo + 2]!;
      where[ob] = b + 1;
    }
    const liveAfter = (p: number): number => {
      while (p !== 0 && where[p - 1] === 0) p = old[((p - 1) << 2) + 3]!;
      return p === 0 ? 0 : where[p - 1]!;
    };
    for (let ob = 0; ob < oldCap; ob++) {
      const nb = where[ob]!;
      if (nb === 0) continue;
      const next = liveAfter(old[(ob << 2) + 3]!);
      t[((nb - 1) << 2) + 3] = next;
      if (next === 0) this.states[this.stateSlot(t[(nb - 1) << 2]!, false) * SW + 2] = nb; // new tail
    }
    const st = this.states;
    for (let o = 0; o < st.length; o += SW) {
      if (st[o + 1] === 0) continue;
      const head = liveAfter(st[o + 1]! & HEAD);
      st[o + 1] = OCCUPIED | head;
      if (head === 0) st[o + 2] = 0;
    }
    this.buckets = t;
    this.capacity = capacity;
    this.scale = scale;
    this.maxUsed = Math.floor(capacity * MAX_LOAD);
    this.used = this.live;
  }
}
