import { closeSync, existsSync, fstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { updateLanes } from '@gyro/information/internals';
import type { KeyIndexImage } from './key-index.js';

/**
 * The fast-reopen sidecar `<store>.gidx`: the key index's own arrays, saved raw, behind a
 * 128-byte header (16 float64). It records which log it describes: the log length it covers,
 * the record count, and hashes of the first and last 64 KiB of that length. Every byte of it is
 * checked before any is trusted: the header carries a hash of itself (its last field) and of
 * each body array, its counters must be consistent with each other and with the array sizes,
 * and the log must still start with exactly the bytes it describes; records appended after it
 * are replayed from the log. Any disagreement makes it 'corrupt' or 'stale' with a reason, and
 * the index is rebuilt from the log. Native byte order: a file from a machine of the other
 * order fails the magic check and is rebuilt.
 */
export function sidecarPathOf(storePath: string): string {
  return `${storePath}.gidx`;
}

const MAGIC = 0x67796978; // 'gyix'
const FORMAT = 4; // bump whenever the KeyIndex layout or this header changes (4: header hash, checked counters)
const HEADER_BYTES = 128;
const PROBE_BYTES = 64 * 1024;

export interface LogFingerprint {
  bytes: number;
  head: number;
  tail: number;
}

export interface SidecarContent {
  image: KeyIndexImage;
  log: LogFingerprint;
  totalRecords: number;
  tombstoneRecords: number;
}

export type SidecarStatus = 'loaded' | 'missing' | 'stale' | 'corrupt' | 'disabled';

/** What readSidecar found: the content when usable, otherwise why not (for 'stale' and 'corrupt'). */
export interface SidecarRead {
  status: SidecarStatus;
  reason?: string;
  content?: SidecarContent;
}

/**
 * The four-lane FNV-style word hash of @gyro/information (`updateLanes`: a single chain is 8×
 * slower on 200 MB), seeded per use and fed a chunk at a time so a sidecar is hashed while it is
 * loaded (see loadWords). Every chunk but the last must hold a multiple of 4 words.
 */
class WordHash {
  private readonly lanes: Int32Array;

  constructor(seed: number, totalWords: number) {
    const a = 0x811c9dc5 ^ seed;
    this.lanes = Int32Array.of(a, a ^ totalWords, 0x9e3779b9 | 0, 0x85ebca6b | 0);
  }

  update(w: Int32Array): this {
    updateLanes(this.lanes, w);
    return this;
  }

  digest(): number {
    const l = this.lanes;
    return (l[0]! ^ Math.imul(l[1]!, 3) ^ Math.imul(l[2]!, 5) ^ Math.imul(l[3]!, 7)) >>> 0;
  }
}

function hashWords(words: Uint32Array, seed: number): number {
  return new WordHash(seed, words.length).update(new Int32Array(words.buffer, words.byteOffset, words.length)).digest();
}

const LOAD_CHUNK_BYTES = 4 << 20;

/**
 * Read `words.length` words at `position` into `words`, returning their hash. The file is read
 * a few MiB at a time into one reused buffer, hashed there while it is in cache and copied into
 * place: reading straight into the fresh array and hashing it afterwards cost twice as much on
 * a VM where the first user access of every fresh page is slow.
 */
function loadWords(fd: number, words: Uint32Array, position: number, seed: number, chunk: Uint8Array): number {
  const hash = new WordHash(seed, words.length);
  const into = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  for (let done = 0; done < into.length; ) {
    const part = chunk.subarray(0, Math.min(chunk.length, into.length - done));
    readFully(fd, part, position + done);
    hash.update(new Int32Array(part.buffer, part.byteOffset, part.length >>> 2));
    into.set(part, done);
    done += part.length;
  }
  return hash.digest();
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, Math.min(into.length - done, 1 << 30), position + done);
    if (n === 0) throw new Error('unexpected end of file');
    done += n;
  }
}

function writeFully(fd: number, from: Uint8Array): void {
  let done = 0;
  while (done < from.length) done += writeSync(fd, from, done, Math.min(from.length - done, 1 << 30));
}

/** Hashes of the first and last 64 KiB of the first `bytes` bytes of the log (a multiple of 4). */
export function fingerprintLog(logFd: number, bytes: number): LogFingerprint {
  const probe = (start: number, length: number): number => {
    const words = new Uint32Array(length >>> 2);
    if (length > 0) readFully(logFd, new Uint8Array(words.buffer), start);
    return hashWords(words, start);
  };
  const n = Math.min(PROBE_BYTES, bytes);
  return { bytes, head: probe(0, n), tail: probe(bytes - n, n) };
}

export function writeSidecar(path: string, content: SidecarContent): void {
  const { image, log } = content;
  const header = new Float64Array(16);
  header.set([
    MAGIC,
    FORMAT,
    image.buckets.length,
    image.states.length,
    image.live,
    image.used,
    image.stateCount,
    image.clock,
    log.bytes,
    log.head,
    log.tail,
    content.totalRecords,
    content.tombstoneRecords,
    hashWords(image.buckets, 1),
    hashWords(image.states, 2),
  ]);
  header[15] = headerHash(header);
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    writeFully(fd, new Uint8Array(header.buffer));
    writeFully(fd, new Uint8Array(image.buckets.buffer, image.buckets.byteOffset, image.buckets.byteLength));
    writeFully(fd, new Uint8Array(image.states.buffer, image.states.byteOffset, image.states.byteLength));
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    // A full disk, say: never leave the temporary file behind.
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
}

/** Hash of the header's first 15 fields (120 bytes), stored as its 16th. */
function headerHash(header: Float64Array): number {
  return new WordHash(3, 30).update(new Int32Array(header.buffer, 0, 30)).digest();
}

/** Words per state-table slot and the load limits of KeyIndex (see key-index.ts). */
const STATE_WORDS = 3;

/**
 * Why the header's counters cannot describe a KeyIndex over a log of `bytes` bytes, or
 * undefined. Checked even when the hashes agree: a sidecar written by a faulty build must not
 * make a store loop (a full probe table never ends a lookup) or lose entries.
 */
function headerProblem(h: number[]): string | undefined {
  const [, , bucketWords, stateWords, live, used, stateCount, clock, bytes, , , total, tombs] = h as number[];
  const whole = (x: number | undefined) => Number.isSafeInteger(x) && x! >= 0;
  if (![bucketWords, stateWords, live, used, stateCount, clock, bytes, total, tombs].every(whole)) return 'a counter is not a whole number';
  const capacity = bucketWords! / 4;
  if (!Number.isInteger(capacity) || capacity < 16) return `key table of ${bucketWords} words`;
  const slots = stateWords! / STATE_WORDS;
  if (!Number.isInteger(slots) || slots < 64 || (slots & (slots - 1)) !== 0) return `state table of ${stateWords} words`;
  if (used! >= capacity) return `${used} used buckets in a table of ${capacity}`;
  if (live! > used!) return `${live} live keys but ${used} used buckets`;
  if (stateCount! * 5 > slots * 4) return `${stateCount} states in ${slots} slots`;
  if (clock! > 0xffffffff) return `clock ${clock}`;
  if (total! * 12 !== bytes) return `${total} records but ${bytes} log bytes`;
  if (tombs! > total! || live! > total! - tombs!) return `${live} live keys and ${tombs} tombstones in ${total} records`;
  return undefined;
}

export function removeSidecar(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // absent
  }
}

/**
 * Load the sidecar if it describes a prefix of the log open at `logFd` (whose whole records end
 * at `logBytes`); otherwise say why not.
 */
export function readSidecar(path: string, logFd: number, logBytes: number): SidecarRead {
  if (!existsSync(path)) return { status: 'missing' };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { status: 'corrupt', reason: `cannot open it: ${(err as Error).message}` };
  }
  const corrupt = (reason: string): SidecarRead => ({ status: 'corrupt', reason });
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES) return corrupt(`${size} bytes, shorter than its header`);
    const header = new Float64Array(16);
    readFully(fd, new Uint8Array(header.buffer), 0);
    const fields = Array.from(header);
    const [magic, format, bucketWords, stateWords, live, used, stateCount, clock, bytes, head, tail, total, tombs, hb, hs, hh] = fields;
    if (magic !== MAGIC) return corrupt('not a gyro index sidecar (or written on a machine of the other byte order)');
    if (format !== FORMAT) return corrupt(`format ${format}, this version reads format ${FORMAT}`);
    if (headerHash(header) !== hh) return corrupt('header checksum mismatch');
    const problem = headerProblem(fields);
    if (problem) return corrupt(`inconsistent header: ${problem}`);
    if (size !== HEADER_BYTES + 4 * (bucketWords! + stateWords!))
      return corrupt(`${size} bytes where its header describes ${HEADER_BYTES + 4 * (bucketWords! + stateWords!)}`);
    if (bytes! > logBytes) return { status: 'stale', reason: `it describes ${bytes} log bytes, the log has ${logBytes}` };
    const now = fingerprintLog(logFd, bytes!);
    if (now.head !== head) return { status: 'stale', reason: 'the first 64 KiB of the log differ from those it describes' };
    if (now.tail !== tail) return { status: 'stale', reason: `the last records it covers (up to byte ${bytes}) differ in the log` };
    const buckets = new Uint32Array(bucketWords!);
    const states = new Uint32Array(stateWords!);
    const chunk = new Uint8Array(LOAD_CHUNK_BYTES);
    if (loadWords(fd, buckets, HEADER_BYTES, 1, chunk) !== hb) return corrupt('key table checksum mismatch');
    if (loadWords(fd, states, HEADER_BYTES + buckets.byteLength, 2, chunk) !== hs) return corrupt('state table checksum mismatch');
    return {
      status: 'loaded',
      content: {
        image: { buckets, states, live: live!, used: used!, stateCount: stateCount!, clock: clock! },
        log: { bytes: bytes!, head: head!, tail: tail! },
        totalRecords: total!,
        tombstoneRecords: tombs!,
      },
    };
  } catch (err) {
    return corrupt(`cannot read it: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
