import { ftruncateSync, writeSync } from 'node:fs';
import { StoreIOError } from '../errors.js';
import { RECORD_SIZE, writeRecord } from '../record.js';
import type { KeyIndex } from './key-index.js';
import type { OpenedLog } from './open.js';

/** Pending records are kept as uint32 words, which are the file's little-endian bytes only here. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The index value (`mask << 16 | confBits`) of a record's third word. */
export function valueOfWord2(word2: number): number {
  return ((word2 & 0xff) << 16) | ((word2 >>> 8) & 0xffff);
}

/** The packed value of the newest put of a key among records [from, to) of `words`, or -1. */
export function newestPut(words: Uint32Array, from: number, to: number, state: number, token: number): number {
  for (let o = (to - 1) * 3; o >= from * 3; o -= 3) {
    if (words[o] === state && words[o + 1] === token) return valueOfWord2(words[o + 2]!);
  }
  return -1;
}

/** Big-endian hosts only: the first `count` pending records' words read as numbers. */
export function nativeWords(pending: Uint32Array, count: number): Uint32Array {
  const view = new DataView(pending.buffer);
  return Uint32Array.from({ length: count * 3 }, (_, k) => view.getUint32(k * 4, true));
}

export function doubled(words: Uint32Array): Uint32Array {
  const grown = new Uint32Array(words.length * 2);
  grown.set(words);
  return grown;
}

/** Why an append failed, and whether the file could be cut back to its last whole record. */
export interface AppendFailure {
  error: unknown;
  rolledBack: boolean;
}

/**
 * Append `bytes` to the log at `fd`, whose whole records end at `rollbackTo`. On failure the
 * file is cut back there, so the log stays a prefix of the puts; undefined on success.
 */
export function appendRecords(fd: number, bytes: Uint8Array, rollbackTo: number): AppendFailure | undefined {
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    return undefined;
  } catch (error) {
    if (done === 0) return { error, rolledBack: true };
    try {
      ftruncateSync(fd, rollbackTo);
      return { error, rolledBack: true };
    } catch {
      return { error, rolledBack: false };
    }
  }
}

/**
 * Puts reach the key index in batches of at most this many (see OrbitStore.put): enough for the
 * bucket loads of a batch to overlap, few enough that a get's scan of the unindexed ones is short.
 */
const INDEX_BATCH = 64;
/** Bits of the filter of keys put but not yet indexed (a power of two, in 32-bit words). */
const RECENT_BITS = 4096;

/** The filter bit of a key: any hash with well-mixed top bits. */
export function recentBit(state: number, token: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(token, 0x85ebca6b)) >>> 20;
}

/**
 * The pending writes of OrbitStore (its base class; one object, so the hot path reads its own
 * fields): records put but not yet written, 3 uint32 words each in file byte order, the key
 * index they reach in batches, and the log they are appended to.
 */
export class PendingLog {
  readonly path: string;
  protected index: KeyIndex;
  protected fd: number;
  protected readonly threshold: number;
  /** Records not yet written, 3 words each, in file byte order (see LITTLE_ENDIAN). */
  protected pending: Uint32Array;
  protected pendingCount = 0;
  /** Pending records [indexed, pendingCount) are puts the key index has not seen yet. */
  protected indexed = 0;
  /** Filter of those records' keys: a clear bit means the key is not among them. */
  protected readonly recent = new Int32Array(RECENT_BITS / 32);
  /** Where indexPending's prefetching loads end up, so the compiler keeps them. */
  private loadSink = 0;
  /** Bytes of whole records written to the file. */
  protected fileBytes: number;
  protected totalRecords: number;
  protected tombstoneRecords: number;
  protected sidecarCurrent: boolean;
  /** Set when a failed append could not be rolled back: no further writes are safe. */
  private broken: unknown = undefined;

  protected constructor(path: string, threshold: number, opened: OpenedLog) {
    this.path = path;
    this.threshold = threshold;
    this.pending = new Uint32Array(Math.min(threshold, 1 << 16) * 3);
    this.index = opened.index;
    this.fd = opened.fd;
    this.fileBytes = opened.fileBytes;
    this.totalRecords = opened.totalRecords;
    this.tombstoneRecords = opened.tombstoneRecords;
    this.sidecarCurrent = opened.sidecarCurrent;
  }

  getPacked(state: number, token: number): number {
    if (this.indexed !== this.pendingCount) {
      const bit = recentBit(state, token);
      if (this.recent[bit >>> 5]! & (1 << (bit & 31))) {
        const p = LITTLE_ENDIAN ? this.pending : nativeWords(this.pending, this.pendingCount);
        const found = newestPut(p, this.indexed, this.pendingCount, state, token);
        if (found >= 0) return found;
      }
    }
    return this.index.getPacked(state, token);
  }

  protected append(state: number, token: number, word2: number): void {
    // Small on purpose (the rare paths are calls) so that V8 inlines it into put.
    const at = this.pendingCount * 3;
    if (at === this.pending.length) this.pending = doubled(this.pending);
    if (LITTLE_ENDIAN) {
      const p = this.pending;
      p[at] = state;
      p[at + 1] = token;
      p[at + 2] = word2;
    } else writeRecord(new DataView(this.pending.buffer), at * 4, state, token, word2);
    this.pendingCount++;
    this.totalRecords++;
    this.sidecarCurrent = false;
    if (this.pendingCount - this.indexed >= INDEX_BATCH) this.indexPending();
    if (this.pendingCount >= this.threshold) this.writePending();
  }

  /** Bring the key index up to date with every put (a no-op when it is). */
  protected settleIndex(): void {
    if (this.indexed !== this.pendingCount) this.indexPending();
  }

  /**
   * Give the key index the puts it has not seen, in order (a later put of a key wins), with
   * their memory loads overlapped (KeyIndex.placeRecords). Tombstones are never among them:
   * delete indexes everything before it, and its own record at once.
   */
  private indexPending(): void {
    const p = LITTLE_ENDIAN ? this.pending : nativeWords(this.pending, this.pendingCount);
    const to = this.pendingCount;
    this.loadSink ^= this.index.placeRecords(p, this.indexed, to, valueOfWord2);
    this.indexed = to;
    this.recent.fill(0);
  }

  /**
   * Append the pending records (see appendRecords: the log is always a prefix of the puts, and
   * failed records stay pending for a later commit). If even the cut back fails, the store
   * refuses further writes.
   */
  protected writePending(): void {
    this.settleIndex();
    if (this.broken !== undefined) throw new StoreIOError(this.path, 'append to', this.broken);
    const length = this.pendingCount * RECORD_SIZE;
    const failure = appendRecords(this.fd, new Uint8Array(this.pending.buffer, 0, length), this.fileBytes);
    if (failure) {
      if (!failure.rolledBack) this.broken = failure.error;
      throw new StoreIOError(this.path, 'append to', failure.error);
    }
    this.fileBytes += length;
    this.pendingCount = 0;
    this.indexed = 0;
  }
}
