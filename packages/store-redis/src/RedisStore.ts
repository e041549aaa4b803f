import { randomBytes } from 'node:crypto';
import { type Addressing, InvalidPhenotypeError, StoreClosedError, confFromHalfBits, confToHalfBits, type Phenotype, type PhenotypeStore } from '@gyro/store';
import { KeyIndex, RECORD_SIZE, TOMBSTONE_MASK, TOMBSTONE_PAD, applyRecordWords, entriesOf, walkState } from '@gyro/store/internals';
import type { MemoryClient } from './client.js';
import { RedisLogCorruptError, RedisUnavailableError } from './errors.js';
import { runScript } from './scripts.js';
import { liveRecordWords, recordBytes, replayMismatch } from './compact.js';

export interface RedisStoreOptions {
  /** Prepended to both keys (default `gyro:`). */
  prefix?: string;
  /** Expire the keys this long after the last pull or push (PEXPIRE); 0 keeps them (default). */
  ttlMs?: number;
  /** commit() and flush() start a push in the background (default true; see push()). */
  autoPush?: boolean;
  /** Largest GETRANGE of one round trip while reading the log (default 4 MiB). */
  chunkBytes?: number;
  /** The addressing of the keys (a private layer takes its public store's); omitted: the default. */
  addressing?: Addressing;
}

export interface PullReport {
  /** Bytes of records read from Redis by this pull (only what was added since the last one). */
  bytesRead: number;
  records: number;
  /** The log was read again from its start: it was replaced, expired, or written concurrently. */
  reloaded: boolean;
  /** The caller's meta bytes stored with the log (see push), or null when there are none. */
  meta: Buffer | null;
  /** Length of the log in Redis after this pull. */
  logBytes: number;
}

export interface PushReport {
  records: number;
  logBytes: number;
  /** Another writer appended since this store's last pull: the next pull reads the log anew. */
  concurrent: boolean;
}

export interface CompactReport {
  /** False when another writer appended meanwhile (nothing changed), or it was not worth it. */
  compacted: boolean;
  /** Length of the log before, and after (the same when not compacted). */
  beforeBytes: number;
  logBytes: number;
}

/** When compactIfWorthIt rewrites a log: at least this many records, this many per live key. */
export const COMPACT_MIN_RECORDS = 4096;
export const COMPACT_RATIO = 2;

const EPOCH_BYTES = 8;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
if (!LITTLE_ENDIAN) throw new Error('@gyro/store-redis supports little-endian hosts only');

/** The log and meta keys of store `name`: one hash tag, so one cluster slot. */
export function redisKeysOf(name: string, prefix = 'gyro:'): { log: string; meta: string } {
  if (name.length === 0 || /[{}]/.test(name)) throw new InvalidPhenotypeError(`store name ${JSON.stringify(name)} must be non-empty without braces`);
  return { log: `${prefix}{${name}}:log`, meta: `${prefix}{${name}}:meta` };
}

/**
 * A PhenotypeStore whose log is a Redis string of 12-byte records (the file format of
 * @gyro/store, appended with APPEND) and whose index lives in this process (KeyIndex, as
 * OrbitStore's). Reads never touch Redis. Writes are indexed at once and kept as unsent records
 * until `push()` appends them; `pull()` applies what other writers appended since this store's
 * offset (GETRANGE from it). See the README for the consistency rules.
 */
export class RedisStore implements PhenotypeStore {
  readonly readOnly = false;
  readonly addressing: Addressing | undefined;
  readonly keys: { log: string; meta: string };
  private index = new KeyIndex();
  /** Records written here and not yet appended, 3 little-endian words each. */
  private unsent = new Uint32Array(96);
  private unsentCount = 0;
  /** Bytes of the Redis log this index holds (a prefix of it, unless `stale`). */
  private offset = 0;
  private epoch: Buffer | null = null;
  /** Set when the index may not be a replay of a log prefix: the next pull rebuilds it. */
  private stale = false;
  /** Every Redis call runs in this chain, one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly ttlMs: number;
  private readonly autoPush: boolean;
  private readonly chunkBytes: number;
  /** The last background push's failure (commit/flush/close), cleared by a successful push. */
  lastError: unknown = undefined;

  private constructor(
    private readonly client: MemoryClient,
    readonly name: string,
    options: RedisStoreOptions,
  ) {
    this.keys = redisKeysOf(name, options.prefix);
    this.ttlMs = options.ttlMs ?? 0;
    this.addressing = options.addressing;
    this.autoPush = options.autoPush ?? true;
    this.chunkBytes = Math.max(RECORD_SIZE, Math.floor((options.chunkBytes ?? 4 << 20) / RECORD_SIZE) * RECORD_SIZE);
  }

  /** A store over the keys of `name`, with the whole log read. */
  static async open(client: MemoryClient, name: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const store = new RedisStore(client, name, options);
    await store.pull();
    return store;
  }

  /** A store that has read nothing yet: its first pull() reads the log (no round trip here). */
  static lazy(client: MemoryClient, name: string, options: RedisStoreOptions = {}): RedisStore {
    return new RedisStore(client, name, options);
  }

  get size(): number {
    return this.index.live;
  }

  /** Records written here that no push has appended yet. */
  get unsentRecords(): number {
    return this.unsentCount;
  }

  /** Bytes of the Redis log this store has applied. */
  get logOffset(): number {
    return this.offset;
  }

  getPacked(state: number, token: number): number {
    return this.index.getPacked(state, token);
  }

  get(state: number, token: number): Phenotype | undefined {
    const packed = this.index.getPacked(state, token);
    return packed < 0 ? undefined : { mask: packed >>> 16, conf: confFromHalfBits(packed & 0xffff) };
  }

  put(state: number, token: number, mask: number, conf: number): void {
    this.assertOpen();
    if (state >>> 0 !== state || token >>> 0 !== token) throw new InvalidPhenotypeError(`key (${state}, ${token}) is not a pair of uint32`);
    if ((mask & 0xff) !== mask) throw new InvalidPhenotypeError(`mask ${mask} is not an integer 0..255`);
    const bits = confToHalfBits(conf);
    this.index.set(state, token, (mask << 16) | bits);
    this.record(state, token, mask | (bits << 8));
  }

  delete(state: number, token: number): boolean {
    this.assertOpen();
    if (!this.index.delete(state, token)) return false;
    this.record(state, token, (TOMBSTONE_MASK | (TOMBSTONE_PAD << 24)) >>> 0);
    return true;
  }

  /** Starts a push of the unsent records when autoPush is on; `await push()` is the durable point. */
  commit(): void {
    this.assertOpen();
    if (this.autoPush && this.unsentCount > 0) this.pushInBackground();
  }

  flush(): void {
    this.commit();
  }

  /** Closes the store; unsent records are still pushed (autoPush) — `await settled()` waits for that. */
  close(): void {
    if (this.closed) return;
    if (this.autoPush && this.unsentCount > 0) this.pushInBackground();
    this.closed = true;
  }

  /** Waits for every push started so far; rejects when records are left unsent. */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (this.unsentCount > 0)
      throw this.lastError instanceof Error ? this.lastError : new RedisUnavailableError(`append to ${this.keys.log}`, 'records are unsent');
  }

  iterEntries(): IterableIterator<[number, number, number, number]> {
    this.assertOpen();
    return entriesOf(this.index);
  }

  iterKeysForState(state: number): IterableIterator<number> {
    this.assertOpen();
    return walkState(this.index.buckets, this.index.headOf(state));
  }

  stateVersion(state: number): number {
    return this.index.stateVersion(state);
  }

  /**
   * Catch up: append any unsent records first, then apply what was added to the log since this
   * store's offset (GETRANGE from it, one round trip for logs under chunkBytes). When the log
   * was replaced (another epoch: it expired or was deleted and written anew), is shorter than
   * the offset, or was written concurrently with this store's last push, the index is rebuilt
   * from the whole log and every state gets a new version. Rejects with RedisUnavailableError
   * and changes nothing when Redis does not answer.
   */
  pull(): Promise<PullReport> {
    return this.enqueue(() => this.pullNow());
  }

  /**
   * Replace the log with one record per live key (superseded records and tombstones dropped)
   * under a new epoch, so it stops growing with every overwrite: catch up first, check that the
   * compacted records replay to exactly this index (keys, values, per-state order), then swap
   * them in with one script that does nothing when another writer appended since (`compacted:
   * false`; try later). Other stores see the new epoch and read the log anew; records pushed
   * later append to the compacted log, so nothing acknowledged is lost.
   */
  compact(): Promise<CompactReport> {
    return this.enqueue(() => this.compactNow(0, 0));
  }

  /**
   * compact() once the log holds at least `minRecords` records and `ratio` per live key. Judged
   * first on what this store knows (no round trip when it is not worth it), then after catching up.
   */
  compactIfWorthIt(minRecords = COMPACT_MIN_RECORDS, ratio = COMPACT_RATIO): Promise<CompactReport> {
    const known = this.offset / RECORD_SIZE + this.unsentCount;
    if (known < minRecords || known < ratio * this.index.live) return Promise.resolve({ compacted: false, beforeBytes: this.offset, logBytes: this.offset });
    return this.enqueue(() => this.compactNow(minRecords, ratio));
  }

  private async compactNow(minRecords: number, ratio: number): Promise<CompactReport> {
    await this.pullNow(); // pushes unsent records first: the index is now a replay of the whole log
    const beforeBytes = this.offset;
    const records = beforeBytes / RECORD_SIZE;
    if (beforeBytes === 0 || records < minRecords || records < ratio * this.index.live) return { compacted: false, beforeBytes, logBytes: beforeBytes };
    const words = liveRecordWords(this.index);
    const problem = replayMismatch(words, this.index);
    if (problem) throw new RedisLogCorruptError(this.keys.log, 0, `compaction refused: ${problem}`);
    const epoch = randomBytes(EPOCH_BYTES);
    const args = [String(beforeBytes), recordBytes(words), epoch, String(this.ttlMs)];
    const [done, length] = await this.call('compact', () => runScript(this.client, 'compact', [this.keys.log, this.keys.meta], args));
    if (Number(done) !== 1) return { compacted: false, beforeBytes, logBytes: Number(length) };
    this.epoch = epoch;
    this.offset = Number(length);
    return { compacted: true, beforeBytes, logBytes: this.offset };
  }

  private async pullNow(): Promise<PullReport> {
    if (this.unsentCount > 0) await this.pushNow(undefined);
    let from = this.stale ? 0 : this.offset;
    const words: Buffer[] = [];
    let bytesRead = 0;
    let meta: Buffer | null = null;
    let len = 0;
    for (;;) {
      const [length, m, chunk] = await this.call('read', () =>
        runScript(this.client, 'pull', [this.keys.log, this.keys.meta], [String(from), String(this.chunkBytes), String(this.ttlMs)]),
      );
      len = Number(length);
      meta = (m as Buffer | null) ?? null;
      const epoch = meta && meta.length >= EPOCH_BYTES ? meta.subarray(0, EPOCH_BYTES) : null;
      const replaced = from > 0 && (len < from || epoch === null || this.epoch === null || !epoch.equals(this.epoch));
      if (replaced && from === (this.stale ? 0 : this.offset)) {
        // Our offset means nothing in this log: read it from its start instead.
        words.length = 0;
        from = 0;
        this.stale = true;
        continue;
      }
      if (replaced) throw new RedisUnavailableError(`read ${this.keys.log}`, 'the log was replaced while it was being read; retry');
      const bytes = chunk as Buffer;
      const whole = bytes.length - (bytes.length % RECORD_SIZE);
      if (whole > 0) words.push(bytes.subarray(0, whole));
      bytesRead += bytes.length;
      from += whole;
      this.epoch = epoch === null ? null : Buffer.from(epoch);
      if (from >= len - (len % RECORD_SIZE)) break;
    }
    const reloaded = this.stale;
    if (reloaded) {
      const old = this.index;
      this.index = new KeyIndex(from / RECORD_SIZE);
      this.index.inheritVersions(old); // versions keep growing across the rebuild
    }
    let at = reloaded ? 0 : this.offset;
    let records = 0;
    for (const chunk of words) {
      records += this.apply(chunk, at, reloaded);
      at += chunk.length;
    }
    if (reloaded) {
      // Writes made here while the log was read are still unsent: they stay on top.
      applyRecordWords(this.unsent, this.unsentCount, this.index, false);
      this.index.stampAll();
    }
    this.offset = from;
    this.stale = false;
    return { bytesRead, records, reloaded, meta: meta && meta.length >= EPOCH_BYTES ? meta.subarray(EPOCH_BYTES) : null, logBytes: len };
  }

  /**
   * Append every unsent record, and `meta` (the caller's bytes, e.g. session state) beside the
   * log, in one atomic script; refreshes the expiry. Resolves once Redis has applied it. Rejects
   * with RedisUnavailableError and keeps the records unsent when Redis does not answer.
   */
  push(meta?: Uint8Array): Promise<PushReport> {
    return this.enqueue(() => this.pushNow(meta));
  }

  private async pushNow(meta: Uint8Array | undefined): Promise<PushReport> {
    const count = this.unsentCount;
    const bytes = Buffer.from(this.unsent.buffer, 0, count * RECORD_SIZE);
    const fresh = this.epoch ?? randomBytes(EPOCH_BYTES);
    const args = [
      bytes,
      meta === undefined ? Buffer.alloc(0) : Buffer.from(meta.buffer, meta.byteOffset, meta.byteLength),
      fresh,
      String(this.ttlMs),
      meta === undefined ? '0' : '1',
    ];
    const [length, epoch] = await this.call('append to', () => runScript(this.client, 'push', [this.keys.log, this.keys.meta], args));
    const len = Number(length);
    // Records put while the script ran stay unsent; the ones it carried are done.
    this.unsent.copyWithin(0, count * 3, this.unsentCount * 3);
    this.unsentCount -= count;
    this.lastError = undefined;
    const concurrent = len !== this.offset + bytes.length || this.epoch === null || !(epoch as Buffer).equals(this.epoch);
    if (concurrent && !(this.epoch === null && this.offset === 0 && len === bytes.length)) this.stale = true;
    this.epoch = Buffer.from(epoch as Buffer);
    this.offset = len;
    return { records: count, logBytes: len, concurrent: this.stale };
  }

  private pushInBackground(): void {
    this.push().catch((err: unknown) => {
      this.lastError = err;
    });
  }

  /** Apply whole records (a Buffer slice of the log starting at byte `at`) to the index. */
  private apply(bytes: Buffer, at: number, building: boolean): number {
    const n = bytes.length / RECORD_SIZE;
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset, n * 3);
    const applied = applyRecordWords(words, n, this.index, !building);
    if (applied < 0)
      throw new RedisLogCorruptError(
        this.keys.log,
        at + (-applied - 1) * RECORD_SIZE,
        `record with unknown pad byte 0x${(words[(-applied - 1) * 3 + 2]! >>> 24).toString(16)}`,
      );
    return n;
  }

  private record(state: number, token: number, word2: number): void {
    const at = this.unsentCount * 3;
    if (at === this.unsent.length) {
      const grown = new Uint32Array(this.unsent.length * 2);
      grown.set(this.unsent);
      this.unsent = grown;
    }
    this.unsent[at] = state;
    this.unsent[at + 1] = token;
    this.unsent[at + 2] = word2;
    this.unsentCount++;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new RedisUnavailableError(`${what} ${this.keys.log}`, err);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(`Redis store ${this.keys.log}`);
  }
}
