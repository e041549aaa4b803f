import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { confFromHalfBits, confToHalfBits } from '../conf.js';
import type { Phenotype, PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError, ReadOnlyStoreError, StoreClosedError, StoreIOError } from '../errors.js';
import { LIVE_PAD, RECORD_SIZE, TOMBSTONE_MASK, TOMBSTONE_PAD, recordWord2, writeRecord } from '../record.js';
import { registerForExit, unregisterForExit, type ExitFlushable } from './exit-flush.js';
import { KeyIndex, LIVE } from './key-index.js';
import { acquireLock, releaseLock } from './lock.js';
import { replayLog } from './replay.js';
import { fingerprintLog, readSidecar, removeSidecar, sidecarPathOf, writeSidecar, type SidecarStatus } from './sidecar.js';

export interface OrbitStoreOptions {
  /** Records buffered before they are written to the file (default 100). */
  writeThreshold?: number;
  /** Open without the writer lock; every write throws ReadOnlyStoreError. */
  readOnly?: boolean;
  /** Use and maintain the `.gidx` sidecar (default true). */
  sidecar?: boolean;
}

/** How the index was built when the store opened. */
export interface OrbitStoreOpenInfo {
  /** 'sidecar': loaded from the sidecar (plus any records appended after it); 'log': rebuilt by reading the log. */
  source: 'empty' | 'log' | 'sidecar';
  sidecar: SidecarStatus;
  /** Records read from the log (all of them, or only those after the sidecar). */
  replayedRecords: number;
  /** Bytes of a partial last record: cut off by a writer, ignored by a reader. */
  tornTailBytes: number;
  milliseconds: number;
}

/** Decides, during a rewrite, whether a live entry is kept. */
export type KeepEntry = (state: number, token: number, mask: number, confBits: number) => boolean;

export interface RewriteResult {
  recordsBefore: number;
  recordsAfter: number;
  /** Live entries the filter dropped. */
  removed: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface OrbitStoreStats {
  path: string;
  liveEntries: number;
  /** Records in the log, superseded ones and tombstones included (pending ones too). */
  totalRecords: number;
  tombstoneRecords: number;
  distinctStates: number;
  /** Bytes of whole records in the file (pending records not yet written excluded). */
  fileBytes: number;
  tornTailBytes: number;
  pendingRecords: number;
  indexBytes: number;
  sidecar: SidecarStatus;
  openedFrom: OrbitStoreOpenInfo['source'];
}

function checkKey(state: number, token: number): void {
  if (state >>> 0 !== state) throw new InvalidPhenotypeError(`state ${state} is not a uint32`);
  if (token >>> 0 !== token) throw new InvalidPhenotypeError(`token ${token} is not a uint32`);
}

/** Throws the InvalidPhenotypeError a put's bad key or mask deserves (kept out of put's body). */
function rejectPut(state: number, token: number, mask: number): never {
  checkKey(state, token);
  throw new InvalidPhenotypeError(`mask ${mask} is not an integer 0..255`);
}

/** Pending records are kept as uint32 words, which are the file's little-endian bytes only here. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Puts reach the key index in batches of at most this many (see OrbitStore.put): enough for the
 * bucket loads of a batch to overlap, few enough that a get's scan of the unindexed ones is short.
 */
const INDEX_BATCH = 64;
/** Bits of the filter of keys put but not yet indexed (a power of two, in 32-bit words). */
const RECENT_BITS = 4096;

/** The filter bit of a key: any hash with well-mixed top bits. */
function recentBit(state: number, token: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(token, 0x85ebca6b)) >>> 20;
}

/** The index value (`mask << 16 | confBits`) of a record's third word. */
function valueOfWord2(word2: number): number {
  return ((word2 & 0xff) << 16) | ((word2 >>> 8) & 0xffff);
}

/**
 * The embedded phenotype store of SPEC §4.1: an append-only log of 12-byte records (the
 * reference's format) with the whole index in memory (see KeyIndex), so reads never touch the
 * file. One writer per file (a lock file); any number of read-only opens.
 */
export class OrbitStore implements PhenotypeStore, ExitFlushable {
  readonly path: string;
  readonly readOnly: boolean;
  readonly openInfo: OrbitStoreOpenInfo;
  private index: KeyIndex;
  private fd: number;
  private readonly lockPath: string | undefined;
  private readonly threshold: number;
  private readonly useSidecar: boolean;
  /** Records not yet written, 3 words each, in file byte order (see LITTLE_ENDIAN). */
  private pending: Uint32Array;
  private pendingCount = 0;
  /** Pending records [indexed, pendingCount) are puts the key index has not seen yet. */
  private indexed = 0;
  /** Filter of those records' keys: a clear bit means the key is not among them. */
  private readonly recent = new Int32Array(RECENT_BITS / 32);
  /** Where indexPending's prefetching loads end up, so the compiler keeps them. */
  private loadSink = 0;
  /** Bytes of whole records written to the file. */
  private fileBytes: number;
  private totalRecords: number;
  private tombstoneRecords: number;
  private sidecarCurrent: boolean;
  private closed = false;
  /** !closed && !readOnly, kept in one field so put checks one thing. */
  private writable: boolean;
  /** Set when a failed append could not be rolled back: no further writes are safe. */
  private broken: unknown = undefined;

  static open(path: string, options: OrbitStoreOptions = {}): OrbitStore {
    return new OrbitStore(resolve(path), options);
  }

  private constructor(path: string, options: OrbitStoreOptions) {
    const t0 = performance.now();
    this.path = path;
    this.readOnly = options.readOnly ?? false;
    this.useSidecar = options.sidecar ?? true;
    const threshold = options.writeThreshold ?? 100;
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new InvalidPhenotypeError(`writeThreshold ${threshold} must be a positive integer`);
    }
    this.threshold = threshold;
    this.pending = new Uint32Array(Math.min(threshold, 1 << 16) * 3);
    this.writable = !this.readOnly;

    if (this.readOnly) {
      if (!existsSync(path)) throw new StoreIOError(path, 'open', new Error('no such file'));
      try {
        this.fd = openSync(path, 'r');
      } catch (err) {
        throw new StoreIOError(path, 'open', err);
      }
    } else {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (err) {
        throw new StoreIOError(dirname(path), 'create the folder', err);
      }
      this.lockPath = acquireLock(path);
      try {
        this.fd = openSync(path, 'a+');
      } catch (err) {
        releaseLock(this.lockPath);
        throw new StoreIOError(path, 'open for writing', err);
      }
    }

    try {
      const size = fstatSync(this.fd).size;
      const whole = size - (size % RECORD_SIZE);
      if (whole !== size && !this.readOnly) ftruncateSync(this.fd, whole);
      const loaded = this.useSidecar ? readSidecar(sidecarPathOf(path), this.fd, whole) : { status: 'disabled' as const };
      let from = 0;
      if (loaded.content) {
        this.index = new KeyIndex(0, loaded.content.image);
        from = loaded.content.log.bytes;
        this.totalRecords = loaded.content.totalRecords;
        this.tombstoneRecords = loaded.content.tombstoneRecords;
      } else {
        this.index = new KeyIndex(whole / RECORD_SIZE);
        this.totalRecords = 0;
        this.tombstoneRecords = 0;
      }
      const replayed = replayLog(this.fd, path, from, whole, this.index, false); // no versions handed out yet
      if (!loaded.content) this.index.trim();
      this.totalRecords += replayed.records;
      this.tombstoneRecords += replayed.tombstones;
      this.fileBytes = whole;
      this.sidecarCurrent = loaded.status === 'loaded' && replayed.records === 0;
      this.openInfo = {
        source: loaded.content ? 'sidecar' : whole === 0 ? 'empty' : 'log',
        sidecar: loaded.status,
        replayedRecords: replayed.records,
        tornTailBytes: size - whole,
        milliseconds: performance.now() - t0,
      };
    } catch (err) {
      closeSync(this.fd);
      if (this.lockPath) releaseLock(this.lockPath);
      throw err instanceof Error && 'code' in err && typeof (err as { code: unknown }).code === 'string' && (err as { code: string }).code.startsWith('STORE_')
        ? err
        : new StoreIOError(path, 'read', err);
    }
    if (!this.readOnly) registerForExit(this);
  }

  get size(): number {
    this.settleIndex();
    return this.index.live;
  }

  getPacked(state: number, token: number): number {
    if (this.indexed !== this.pendingCount) {
      const bit = recentBit(state, token);
      if (this.recent[bit >>> 5]! & (1 << (bit & 31))) {
        const found = this.unindexedValue(state, token);
        if (found >= 0) return found;
      }
    }
    return this.index.getPacked(state, token);
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
    this.closed = true;
    this.writable = false;
    closeSync(this.fd);
    if (this.lockPath) releaseLock(this.lockPath);
    unregisterForExit(this);
    if (failure !== undefined) throw failure;
  }

  /** Exit hook: make pending records durable and unlock, nothing slower. */
  flushOnExit(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.writable = false;
      closeSync(this.fd);
      if (this.lockPath) releaseLock(this.lockPath);
    }
  }

  *iterEntries(): IterableIterator<[number, number, number, number]> {
    this.assertOpen();
    this.settleIndex();
    for (const state of this.index.allStates()) {
      // Each state's list, read straight from its buckets: no second lookup per key.
      const t = this.index.buckets;
      for (let p = this.index.headOf(state); p !== 0; p = t[((p - 1) << 2) + 3]!) {
        const o = (p - 1) << 2;
        const v = t[o + 2]!;
        if (v & LIVE) yield [state, t[o + 1]!, (v >>> 16) & 0xff, confFromHalfBits(v & 0xffff)];
      }
    }
  }

  /** The state's live tokens in first-insertion order (a deleted and re-put key may keep its old place). */
  iterKeysForState(state: number): IterableIterator<number> {
    this.assertOpen();
    this.settleIndex();
    return walkState(this.index.buckets, this.index.headOf(state));
  }

  /**
   * Call `fn` for every live entry, in no particular order (the index's own), with the stored
   * half bits of its confidence: one sequential pass, for whole-store summaries where
   * iterEntries' state-by-state walk would cost a random access per entry.
   */
  forEachEntry(fn: (state: number, token: number, mask: number, confBits: number) => void): void {
    this.assertOpen();
    this.settleIndex();
    const t = this.index.buckets;
    for (let o = 0; o < t.length; o += 4) {
      const v = t[o + 2]!;
      if (v & LIVE) fn(t[o]!, t[o + 1]!, (v >>> 16) & 0xff, v & 0xffff);
    }
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
    const replaced = this.readOnly && this.followReplacedFile();
    const size = fstatSync(this.fd).size;
    const whole = size - (size % RECORD_SIZE);
    const rebuilt = replaced || whole < this.fileBytes;
    if (rebuilt) {
      const old = this.index;
      this.index = new KeyIndex(whole / RECORD_SIZE);
      this.index.inheritVersions(old); // versions keep growing across the rebuild
      this.fileBytes = 0;
      this.totalRecords = this.pendingCount;
      this.tombstoneRecords = 0;
    }
    // A rebuild replays without stamping (as an open does, in bulk for a long log), then changes
    // every state's version at once: a state the compaction dropped has no record left to stamp it.
    const replayed = replayLog(this.fd, this.path, this.fileBytes, whole, this.index, !rebuilt);
    if (rebuilt) {
      this.index.trim(); // as after an open from the log
      this.index.stampAll();
    }
    this.fileBytes = whole;
    this.totalRecords += replayed.records;
    this.tombstoneRecords += replayed.tombstones;
    return replayed.records;
  }

  stats(): OrbitStoreStats {
    this.settleIndex();
    let distinctStates = 0;
    for (const state of this.index.allStates()) if (this.index.hasLiveKey(state)) distinctStates++;
    return {
      path: this.path,
      liveEntries: this.index.live,
      totalRecords: this.totalRecords,
      tombstoneRecords: this.tombstoneRecords,
      distinctStates,
      fileBytes: this.fileBytes,
      tornTailBytes: this.openInfo.tornTailBytes,
      pendingRecords: this.pendingCount,
      indexBytes: this.index.bytes,
      sidecar: this.openInfo.sidecar,
      openedFrom: this.openInfo.source,
    };
  }

  /**
   * Compaction: replace the log with one record per live key that `keep` accepts (all when
   * omitted; called once per live key), grouped by state in list order, so a reopen lists each state as before. The new
   * log is written beside the old one, fsynced and renamed over it; on failure the old log and
   * the index are untouched. Read-only opens of the old file keep seeing the old file.
   */
  rewrite(keep?: KeepEntry): RewriteResult {
    this.assertWritable();
    this.commit();
    const bytesBefore = this.fileBytes;
    const recordsBefore = this.totalRecords;
    const tmp = `${this.path}.rewrite-${process.pid}`;
    const chunk = new Uint8Array(RECORD_SIZE * 65536);
    const view = new DataView(chunk.buffer);
    let written = 0;
    let removed = 0;
    let dropped = new Uint32Array(64); // state, token pairs the filter rejected
    let tokens: Uint32Array = new Uint32Array(64);
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'w');
      let used = 0;
      for (const state of this.index.allStates()) {
        const listed = this.index.tokensOf(state, tokens);
        tokens = listed.out;
        // In list order: replaying appends each key at its state's tail, rebuilding this order.
        for (let k = 0; k < listed.count; k++) {
          const token = tokens[k]!;
          const packed = this.index.getPacked(state, token);
          const mask = packed >>> 16;
          if (keep && !keep(state, token, mask, packed & 0xffff)) {
            if (2 * removed + 2 > dropped.length) {
              const grown = new Uint32Array(dropped.length * 2);
              grown.set(dropped);
              dropped = grown;
            }
            dropped[2 * removed] = state;
            dropped[2 * removed + 1] = token;
            removed++;
            continue;
          }
          writeRecord(view, used, state, token, recordWord2(mask, packed & 0xffff, LIVE_PAD));
          used += RECORD_SIZE;
          if (used === chunk.length) {
            writeSync(fd, chunk, 0, used);
            written += used;
            used = 0;
          }
        }
      }
      writeSync(fd, chunk, 0, used);
      written += used;
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, this.path);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {
        // never created
      }
      throw new StoreIOError(this.path, 'rewrite', err);
    }
    try {
      const dirFd = openSync(dirname(this.path), 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // best effort: some file systems refuse to fsync a folder
    }
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a+');
    for (let i = 0; i < removed; i++) this.index.delete(dropped[2 * i]!, dropped[2 * i + 1]!);
    this.index.trim();
    removeSidecar(sidecarPathOf(this.path));
    this.sidecarCurrent = false;
    this.fileBytes = written;
    this.totalRecords = written / RECORD_SIZE;
    this.tombstoneRecords = 0;
    return { recordsBefore, recordsAfter: this.totalRecords, removed, bytesBefore, bytesAfter: written };
  }

  /**
   * If the path now names another file than the one open (a writer's compaction renames the
   * new log over it), switch to that file; true when it did. The old file stays open until then,
   * so a reader never sees a half-written log.
   */
  private followReplacedFile(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return false; // gone for now: keep reading the file we have
    }
    const now = fstatSync(fd);
    const open = fstatSync(this.fd);
    if (now.ino === open.ino && now.dev === open.dev) {
      closeSync(fd);
      return false;
    }
    closeSync(this.fd);
    this.fd = fd;
    return true;
  }

  private append(state: number, token: number, word2: number): void {
    // Small on purpose (the rare paths are calls) so that V8 inlines it into put.
    const at = this.pendingCount * 3;
    if (at === this.pending.length) this.growPending();
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
  private settleIndex(): void {
    if (this.indexed !== this.pendingCount) this.indexPending();
  }

  /**
   * Give the key index the puts it has not seen, in order (a later put of a key wins), with
   * their memory loads overlapped (KeyIndex.placeRecords). Tombstones are never among them:
   * delete indexes everything before it, and its own record at once.
   */
  private indexPending(): void {
    const p = LITTLE_ENDIAN ? this.pending : this.nativeWords();
    const from = this.indexed;
    const to = this.pendingCount;
    this.loadSink ^= this.index.placeRecords(p, from, to, valueOfWord2);
    this.indexed = to;
    this.recent.fill(0);
  }

  /** The packed value of the newest unindexed put of a key, or -1. */
  private unindexedValue(state: number, token: number): number {
    const p = LITTLE_ENDIAN ? this.pending : this.nativeWords();
    for (let o = (this.pendingCount - 1) * 3; o >= this.indexed * 3; o -= 3) {
      if (p[o] === state && p[o + 1] === token) return valueOfWord2(p[o + 2]!);
    }
    return -1;
  }

  /** Big-endian hosts only: the pending words read as numbers (they are kept in file order). */
  private nativeWords(): Uint32Array {
    const view = new DataView(this.pending.buffer);
    return Uint32Array.from({ length: this.pendingCount * 3 }, (_, k) => view.getUint32(k * 4, true));
  }

  private growPending(): void {
    const grown = new Uint32Array(this.pending.length * 2);
    grown.set(this.pending);
    this.pending = grown;
  }

  /**
   * Append the pending records. On failure the file is cut back to its last whole record and
   * the records stay pending (a later commit retries them), so the log is always a prefix of
   * the puts. If even the cut fails, the store refuses further writes.
   */
  private writePending(): void {
    this.settleIndex();
    if (this.broken !== undefined) throw new StoreIOError(this.path, 'append to', this.broken);
    const length = this.pendingCount * RECORD_SIZE;
    const bytes = new Uint8Array(this.pending.buffer, 0, length);
    let done = 0;
    try {
      while (done < length) done += writeSync(this.fd, bytes, done, length - done);
    } catch (err) {
      if (done > 0) {
        try {
          ftruncateSync(this.fd, this.fileBytes);
        } catch {
          this.broken = err;
        }
      }
      throw new StoreIOError(this.path, 'append to', err);
    }
    this.fileBytes += length;
    this.pendingCount = 0;
    this.indexed = 0;
  }

  private saveSidecar(): void {
    try {
      writeSidecar(sidecarPathOf(this.path), {
        image: this.index.image(),
        log: fingerprintLog(this.fd, this.fileBytes),
        totalRecords: this.totalRecords,
        tombstoneRecords: this.tombstoneRecords,
      });
      this.sidecarCurrent = true;
    } catch {
      // A missing or stale sidecar is detected at the next open and rebuilt; never fatal.
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(`store ${this.path}`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new ReadOnlyStoreError(`store ${this.path} (opened read-only)`);
  }
}

function* walkState(buckets: Uint32Array, head: number): IterableIterator<number> {
  for (let p = head; p !== 0; ) {
    const o = (p - 1) << 2;
    if (buckets[o + 2]! & LIVE) yield buckets[o + 1]!;
    p = buckets[o + 3]!;
  }
}
