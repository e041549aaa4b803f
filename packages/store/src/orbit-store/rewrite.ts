import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreIOError } from '../errors.js';
import { LIVE_PAD, RECORD_SIZE, recordWord2, writeRecord } from '../record.js';
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
 * each key at its state's tail, rebuilding this order), fsync it and rename it over `path`. On
 * failure the temporary file is removed and `path` is untouched.
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
  try {
    fd = openSync(tmp, 'w');
    let used = 0;
    for (const state of index.allStates()) {
      const listed = index.tokensOf(state, tokens);
      tokens = listed.out;
      for (let k = 0; k < listed.count; k++) {
        const token = tokens[k]!;
        const packed = index.getPacked(state, token);
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
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(tmp);
    throw new StoreIOError(path, 'rewrite', err);
  }
  syncFolder(path);
  return { bytes: written, removed, dropped };
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
