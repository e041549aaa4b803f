import { closeSync, fstatSync, openSync } from 'node:fs';
import { RECORD_SIZE } from '../record.js';
import { KeyIndex } from './key-index.js';
import { replayLog } from './replay.js';

/**
 * If `path` now names another file than the one open at `fd` (a writer's compaction renames the
 * new log over it), the descriptor of that file; otherwise undefined. The old file stays open
 * until the caller switches, so a reader never sees a half-written log.
 */
export function replacedFile(path: string, fd: number): number | undefined {
  let now: number;
  try {
    now = openSync(path, 'r');
  } catch {
    return undefined; // gone for now: keep reading the file we have
  }
  const a = fstatSync(now);
  const b = fstatSync(fd);
  if (a.ino === b.ino && a.dev === b.dev) {
    closeSync(now);
    return undefined;
  }
  return now;
}

export interface Refreshed {
  index: KeyIndex;
  /** True when the index was rebuilt from the start of the log (counters restart). */
  rebuilt: boolean;
  fileBytes: number;
  records: number;
  tombstones: number;
}

/**
 * Bring `index` (covering `fileBytes` of the log at `fd`) up to the log's whole records. A log
 * that was replaced or cut shorter is read into a new index whose versions continue the old
 * one's; every state then gets a new version, since a state the compaction dropped altogether
 * has no record left to stamp it.
 */
export function refreshIndex(fd: number, path: string, index: KeyIndex, fileBytes: number, replaced: boolean): Refreshed {
  const size = fstatSync(fd).size;
  const whole = size - (size % RECORD_SIZE);
  const rebuilt = replaced || whole < fileBytes;
  let into = index;
  if (rebuilt) {
    into = new KeyIndex(whole / RECORD_SIZE);
    into.inheritVersions(index); // versions keep growing across the rebuild
  }
  // A rebuild replays without stamping (as an open does, in bulk for a long log).
  const replayed = replayLog(fd, path, rebuilt ? 0 : fileBytes, whole, into, !rebuilt);
  if (rebuilt) {
    into.trim(); // as after an open from the log
    into.stampAll();
  }
  return { index: into, rebuilt, fileBytes: whole, records: replayed.records, tombstones: replayed.tombstones };
}
