import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreIOError, StoreVerifyError } from '../errors.js';
import { LIVE_PAD, RECORD_SIZE, recordWord2, writeRecord } from '../record.js';
import { EntryDigest, digestCompactedLog } from './digest.js';
import { forEachLive } from './iterate.js';
import type { KeyIndex } from './key-index.js';
import type { KeepEntry } from './types.js';

export interface CompactedLog {
  /** Bytes of the new log. */
  bytes: number;
  /** Live entries `keep` rejected, as (state, token) pairs in `dropped[0 .. 2 * removed)`. */
  removed: number;
  dropped: Uint32Array;
}

/**
 * Write one record per live key of `index` that `keep` accepts (all when omitted; called once
 * per live key) to a new file beside `path`, grouped by state in list order (replaying appends
 * each key at its state's tail, rebuilding this order), fsync it and rename it over `path`.
 *
 * Before the rename the new file is read back and must hold exactly the live entries read from
 * the index less those `keep` rejected: the entries listed state by state must number what the
 * index counts, and match (as a digest) a sequential pass over its key table. Otherwise, or on
 * any failure, the temporary file is removed and `path` is untouched (StoreVerifyError).
 */
export function writeCompactedLog(path: string, index: KeyIndex, keep: KeepEntry | undefined): CompactedLog {
  const tmp = `${path}.rewrite-${process.pid}`;
  const chunk = new Uint8Array(RECORD_SIZE * 65536);
  const view = new DataView(chunk.buffer);
  let written = 0;
  let removed = 0;
  let dropped = new Uint32Array(64);
  let tokens: Uint32Array = new Uint32Array(64);
  let fd: number | undefined;
  const table = new EntryDigest();
  forEachLive(index, (state, token, mask, bits) => table.add(state, token, (mask << 16) | bits));
  const kept = new EntryDigest();
  const rejected = new EntryDigest();
  try {
    fd = openSync(tmp, 'w+');
    let used = 0;
    for (const state of index.allStates()) {
      const listed = index.tokensOf(state, tokens);
      tokens = listed.out;
      for (let k = 0; k < listed.count; k++) {
        const token = tokens[k]!;
        const packed = index.getPacked(state, token);
        const mask = packed >>> 16;
        if (keep && !keep(state, token, mask, packed & 0xffff)) {
          rejected.add(state, token, packed);
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
        kept.add(state, token, packed);
        writeRecord(view, used, state, token, recordWord2(mask, packed & 0xffff, LIVE_PAD));
        used += RECORD_SIZE;
        if (used === chunk.length) {
          writeAll(fd, chunk, used);
          written += used;
          used = 0;
        }
      }
    }
    writeAll(fd, chunk, used);
    written += used;
    fsyncSync(fd);
    const problem = mismatch(index, table, kept, rejected, digestCompactedLog(fd, written));
    if (problem) throw new StoreVerifyError(path, `compaction refused: ${problem}`);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(tmp);
    throw err instanceof StoreVerifyError ? err : new StoreIOError(path, 'rewrite', err);
  }
  syncFolder(path);
  return { bytes: written, removed, dropped };
}

/** Why a compacted log does not hold what the index held, or undefined. */
function mismatch(index: KeyIndex, table: EntryDigest, kept: EntryDigest, rejected: EntryDigest, file: EntryDigest | undefined): string | undefined {
  const listed = kept.count + rejected.count;
  if (listed !== index.live) return `the index counts ${index.live} live entries but its state lists hold ${listed}`;
  if (!table.equals(kept.plus(rejected))) return `the index's state lists and key table hold different entries`;
  if (!file) return 'the written file holds a record that is not a live entry';
  if (!file.equals(kept)) return `the written file holds ${file.count} entries that differ from the ${kept.count} read`;
  return undefined;
}

/** Write the first `length` bytes of `bytes`: a short write (a full disk) is retried, so its error surfaces. */
function writeAll(fd: number, bytes: Uint8Array, length: number): void {
  for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
}

/** Unlink a file that may not exist (a temporary one on an error path). */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

/** fsync the folder holding `path`, so a rename into it is durable. */
export function syncFolder(path: string): void {
  try {
    const dirFd = openSync(dirname(path), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // best effort: some file systems refuse to fsync a folder
  }
}
