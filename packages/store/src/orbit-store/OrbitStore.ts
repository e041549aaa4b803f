import { closeSync, fsyncSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { confFromHalfBits, confToHalfBits } from '../conf.js';
import type { Addressing } from '../addressing.js';
import type { KeyVisitor, Phenotype, PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError, ReadOnlyStoreError, StoreClosedError, StoreIOError } from '../errors.js';
import { RECORD_SIZE, TOMBSTONE_MASK, TOMBSTONE_PAD, recordWord2 } from '../record.js';
import { registerForExit, unregisterForExit, type ExitFlushable } from './exit-flush.js';
import { entriesOf, forEachLive, forEachOfState, liveStateCount, walkState } from './iterate.js';
import { releaseLock } from './lock.js';
import { openLog } from './open.js';
import * as pendingModule from './pending.js';
import { PendingLog } from './pending.js';
import { refreshIndex, replacedFile } from './refresh.js';
import { writeCompactedLog } from './rewrite.js';
import { fingerprintLog, removeSidecar, sidecarPathOf, writeSidecar } from './sidecar.js';
import type { KeepEntry, OrbitStoreOpenInfo, OrbitStoreOptions, OrbitStoreStats, RewriteResult } from './types.js';

export type { KeepEntry, OrbitStoreOpenInfo, OrbitStoreOptions, OrbitStoreStats, RewriteResult } from './types.js';

// A module-local copy of what put calls: run from the sources, an imported binding is re-read on
// every use and calls through it are not inlined (see log-build.ts).
const { recentBit } = pendingModule;

/** Throws the InvalidPhenotypeError a put's bad key or mask deserves (kept out of put's body). */
function rejectPut(state: number, token: number, mask: number): never {
  if (state >>> 0 !== state) throw new InvalidPhenotypeError(`state ${state} is not a uint32`);
  if (token >>> 0 !== token) throw new InvalidPhenotypeError(`token ${token} is not a uint32`);
  throw new InvalidPhenotypeError(`mask ${mask} is not an integer 0..255`);
}

/**
 * The embedded phenotype store of SPEC §4.1: an append-only log of 12-byte records (the
 * reference's format) with the whole index in memory (see KeyIndex), so reads never touch the
 * file. One writer per file (a lock file); any number of read-only opens. The hot path (put,
 * getPacked and the pending buffer they share) is here and in the base class PendingLog
 * (pending.ts); opening (open.ts), iteration (iterate.ts), refresh (refresh.ts), compaction
 * (rewrite.ts) and the sidecar (sidecar.ts) live beside it.
 */
export class OrbitStore extends PendingLog implements PhenotypeStore, ExitFlushable {
  readonly readOnly: boolean;
  readonly openInfo: OrbitStoreOpenInfo;
  /** How the store keys states (its `<path>.meta.json` marker; canonical without one). */
  readonly addressing: Addressing;
  private readonly lockPath: string | undefined;
  private readonly useSidecar: boolean;
  private closed = false;
  /** !closed && !readOnly, kept in one field so put checks one thing. */
  private writable: boolean;

  static open(path: string, options: OrbitStoreOptions = {}): OrbitStore {
    return new OrbitStore(resolve(path), options);
  }

  private constructor(path: string, options: OrbitStoreOptions) {
    const t0 = performance.now();
    const readOnly = options.readOnly ?? false;
    const useSidecar = options.sidecar ?? true;
    const threshold = options.writeThreshold ?? 100;
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new InvalidPhenotypeError(`writeThreshold ${threshold} must be a positive integer`);
    }
    const opened = openLog(path, options, t0);
    super(path, threshold, opened);
    this.readOnly = readOnly;
    this.useSidecar = useSidecar;
    this.writable = !readOnly;
    this.lockPath = opened.lockPath;
    this.openInfo = opened.openInfo;
    this.addressing = opened.addressing;
    if (!this.readOnly) registerForExit(this);
  }

  get size(): number {
    this.settleIndex();
    return this.index.live;
  }

  get(state: number, token: number): Phenotype | undefined {
    const packed = this.getPacked(state, token);
    return packed < 0 ? undefined : { mask: packed >>> 16, conf: confFromHalfBits(packed & 0xffff) };
  }

  /**
   * The hot path: one flag, three integer checks, the state's version, the pending buffer. The
   * key index sees puts in batches (indexPending): one put's bucket is a random read of a large
   * table, ~150 ns of waiting on memory, while a batch's reads are issued together and overlap.
   * Until then a get finds the put among the pending records, behind a filter that lets almost
   * every other key through at the cost of one bit test.
   */
  put(state: number, token: number, mask: number, conf: number): void {
    if (!this.writable) this.assertWritable();
    if (state >>> 0 !== state || token >>> 0 !== token || (mask & 0xff) !== mask) rejectPut(state, token, mask);
    const bits = confToHalfBits(conf);
    this.index.stamp(state);
    const bit = recentBit(state, token);
    this.recent[bit >>> 5]! |= 1 << (bit & 31);
    this.append(state, token, mask | (bits << 8)); // recordWord2(mask, bits, LIVE_PAD)
  }

  /** Writes a tombstone record (see record.ts) so the deletion survives reopening. */
  delete(state: number, token: number): boolean {
    this.assertWritable();
    this.settleIndex();
    if (!this.index.delete(state, token)) return false;
    this.indexed = this.pendingCount + 1; // the record appended next is in the index already
    this.append(state, token, recordWord2(TOMBSTONE_MASK, 0, TOMBSTONE_PAD));
    this.tombstoneRecords++;
    return true;
  }

  commit(): void {
    this.assertOpen();
    if (this.pendingCount > 0) this.writePending();
  }

  flush(): void {
    this.commit();
    if (this.readOnly) return;
    try {
      fsyncSync(this.fd);
    } catch (err) {
      throw new StoreIOError(this.path, 'fsync', err);
    }
  }

  /**
   * Flush, save the sidecar, release the lock. Idempotent. If the final write fails the store
   * still closes (and unlocks) and the error is thrown; the file keeps every whole record written.
   */
  close(): void {
    if (this.closed) return;
    let failure: unknown;
    if (!this.readOnly) {
      try {
        this.flush();
      } catch (err) {
        failure = err;
      }
      if (failure === undefined && this.useSidecar && !this.sidecarCurrent) this.saveSidecar();
    }
    this.release();
    unregisterForExit(this);
    if (failure !== undefined) throw failure;
  }

  /** Exit hook: make pending records durable and unlock, nothing slower. */
  flushOnExit(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.release();
    }
  }

  iterEntries(): IterableIterator<[number, number, number, number]> {
    this.assertOpen();
    this.settleIndex();
    return entriesOf(this.index);
  }

  /** The state's live tokens in first-insertion order (a deleted and re-put key may keep its old place). */
  iterKeysForState(state: number): IterableIterator<number> {
    this.assertOpen();
    this.settleIndex();
    return walkState(this.index.buckets, this.index.headOf(state));
  }

  /** iterKeysForState with each key's packed value, read from the bucket the walk is on. */
  forEachKeyOfState(state: number, fn: KeyVisitor): void {
    this.assertOpen();
    this.settleIndex();
    forEachOfState(this.index.buckets, this.index.headOf(state), fn);
  }

  /**
   * Call `fn` for every live entry, in no particular order (the index's own), with the stored
   * half bits of its confidence: one sequential pass, for whole-store summaries where
   * iterEntries' state-by-state walk would cost a random access per entry.
   */
  forEachEntry(fn: (state: number, token: number, mask: number, confBits: number) => void): void {
    this.assertOpen();
    this.settleIndex();
    forEachLive(this.index, fn);
  }

  /** The state's live tokens copied into a typed array (one allocation, no iterator). */
  tokensForState(state: number): Uint32Array {
    this.assertOpen();
    this.settleIndex();
    const { count, out } = this.index.tokensOf(state, new Uint32Array(8));
    return out.subarray(0, count);
  }

  stateVersion(state: number): number {
    return this.index.stateVersion(state);
  }

  /**
   * Read-only stores: apply whole records a writer appended since open (or the last refresh).
   * When the log was compacted (a new file renamed over the path, or the file cut shorter), the
   * index is rebuilt from the new log and every state gets a new version. Returns the records
   * applied.
   */
  refresh(): number {
    this.assertOpen();
    const next = this.readOnly ? replacedFile(this.path, this.fd) : undefined;
    if (next !== undefined) {
      closeSync(this.fd);
      this.fd = next;
    }
    const r = refreshIndex(this.fd, this.path, this.index, this.fileBytes, next !== undefined);
    if (r.rebuilt) {
      this.totalRecords = this.pendingCount;
      this.tombstoneRecords = 0;
    }
    this.index = r.index;
    this.fileBytes = r.fileBytes;
    this.totalRecords += r.records;
    this.tombstoneRecords += r.tombstones;
    return r.records;
  }

  stats(): OrbitStoreStats {
    this.settleIndex();
    return {
      path: this.path,
      liveEntries: this.index.live,
      totalRecords: this.totalRecords,
      tombstoneRecords: this.tombstoneRecords,
      distinctStates: liveStateCount(this.index),
      fileBytes: this.fileBytes,
      tornTailBytes: this.openInfo.tornTailBytes,
      pendingRecords: this.pendingCount,
      indexBytes: this.index.bytes,
      sidecar: this.openInfo.sidecar,
      openedFrom: this.openInfo.source,
      addressing: this.addressing,
    };
  }

  /**
   * Compaction: replace the log with one record per live key that `keep` accepts (all when
   * omitted; called once per live key), grouped by state in list order, so a reopen lists each
   * state as before (see writeCompactedLog). On failure the old log and the index are untouched.
   * Read-only opens of the old file keep seeing the old file.
   */
  rewrite(keep?: KeepEntry): RewriteResult {
    this.assertWritable();
    this.commit();
    const bytesBefore = this.fileBytes;
    const recordsBefore = this.totalRecords;
    const { bytes, removed, dropped } = writeCompactedLog(this.path, this.index, keep);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a+');
    for (let i = 0; i < removed; i++) this.index.delete(dropped[2 * i]!, dropped[2 * i + 1]!);
    this.index.trim();
    removeSidecar(sidecarPathOf(this.path));
    this.sidecarCurrent = false;
    this.fileBytes = bytes;
    this.totalRecords = bytes / RECORD_SIZE;
    this.tombstoneRecords = 0;
    return { recordsBefore, recordsAfter: this.totalRecords, removed, bytesBefore, bytesAfter: bytes };
  }

  private saveSidecar(): void {
    try {
      const log = fingerprintLog(this.fd, this.fileBytes);
      const { totalRecords, tombstoneRecords } = this;
      writeSidecar(sidecarPathOf(this.path), { image: this.index.image(), log, totalRecords, tombstoneRecords });
      this.sidecarCurrent = true;
    } catch {
      // A missing or stale sidecar is detected at the next open and rebuilt; never fatal.
    }
  }

  /** Mark closed, close the file and release the lock. */
  private release(): void {
    this.closed = true;
    this.writable = false;
    closeSync(this.fd);
    if (this.lockPath) releaseLock(this.lockPath);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(`store ${this.path}`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new ReadOnlyStoreError(`store ${this.path} (opened read-only)`);
  }
}
