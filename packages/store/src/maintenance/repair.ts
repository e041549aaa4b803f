import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { StoreIOError } from '../errors.js';
import { acquireLock, releaseLock } from '../orbit-store/lock.js';
import { removeQuietly, syncFolder } from '../orbit-store/rewrite.js';
import { removeSidecar, sidecarPathOf } from '../orbit-store/sidecar.js';
import { LIVE_PAD, RECORD_SIZE, TOMBSTONE_MASK, TOMBSTONE_PAD } from '../record.js';
import { elapsedSince, type MaintenanceReport } from './report.js';
import { validateStore, type ValidateReport } from './validate.js';

export interface DroppedRange {
  /** Byte offsets [start, end) of the original file. */
  start: number;
  end: number;
}

export interface RepairReport extends MaintenanceReport {
  path: string;
  /** Whole valid records kept. */
  keptRecords: number;
  /** Byte ranges of the original file left out (bad records, a torn tail). */
  dropped: DroppedRange[];
  droppedBytes: number;
  /** Where the original file was kept (`<store>.bak`), when anything was dropped. */
  backup?: string;
  /** The validation of the result; ok only when it validates. */
  validation: ValidateReport;
  ok: boolean;
}

/** A run of this many valid records (or the rest of the file) marks where good records resume. */
const RESYNC_RECORDS = 4;

/** Whether the 12 bytes at `o` are a record this format writes: a live put with conf in [0, 1], or a tombstone. */
function validRecord(b: Uint8Array, o: number): boolean {
  const pad = b[o + 11]!;
  const conf = b[o + 9]! | (b[o + 10]! << 8);
  if (pad === LIVE_PAD) return conf <= 0x3c00;
  return pad === TOMBSTONE_PAD && b[o + 8] === TOMBSTONE_MASK && conf === 0;
}

/** Whether good records resume at `o`: RESYNC_RECORDS valid ones in a row, or all that remain. */
function resumesAt(b: Uint8Array, o: number): boolean {
  const whole = Math.floor((b.length - o) / RECORD_SIZE);
  if (whole === 0) return false;
  for (let k = 0; k < Math.min(RESYNC_RECORDS, whole); k++) if (!validRecord(b, o + k * RECORD_SIZE)) return false;
  return true;
}

/**
 * Where good records resume after a bad one at `bad`: at the first whole record boundary where
 * they do (damage in place keeps the boundaries), else at the first byte offset (bytes inserted
 * or lost shifted them), else at the end of the file.
 */
function resumeAfter(b: Uint8Array, bad: number): number {
  for (let o = bad + RECORD_SIZE; o + RECORD_SIZE <= b.length; o += RECORD_SIZE) if (resumesAt(b, o)) return o;
  for (let o = bad + 1; o + RECORD_SIZE <= b.length; o++) if (resumesAt(b, o)) return o;
  return b.length;
}

/**
 * Salvage a damaged log (`gyro store repair`): keep every valid record, in order, and leave out
 * each damaged stretch (see resumeAfter: a run of valid records marks where good ones resume).
 * Records are not self-delimiting, so after bytes inserted or lost in the middle of a log whose
 * records read as valid at the old boundaries too, those records are kept as they read. The
 * original is kept as `<store>.bak` (the repair refuses to run if one exists), the sidecar is
 * removed, and the result is validated: ok only when it validates. Runs under the writer lock.
 * processed = records examined, modified = byte ranges dropped.
 */
export function repairStore(path: string): RepairReport {
  const t0 = performance.now();
  const abs = resolve(path);
  const lockPath = acquireLock(abs);
  try {
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      throw new StoreIOError(abs, 'read', err);
    }
    const kept: DroppedRange[] = [];
    const dropped: DroppedRange[] = [];
    let o = 0;
    let keptRecords = 0;
    while (o < bytes.length) {
      const start = o;
      while (o + RECORD_SIZE <= bytes.length && validRecord(bytes, o)) o += RECORD_SIZE;
      if (o > start) kept.push({ start, end: o });
      keptRecords += (o - start) / RECORD_SIZE;
      if (o >= bytes.length) break;
      const bad = o;
      o = resumeAfter(bytes, bad);
      dropped.push({ start: bad, end: o });
    }
    const droppedBytes = dropped.reduce((n, r) => n + r.end - r.start, 0);
    const backup = `${abs}.bak`;
    if (dropped.length > 0) {
      if (existsSync(backup)) throw new StoreIOError(backup, 'keep the original as', new Error('it exists already (move it away first)'));
      writeSalvaged(abs, bytes, kept, backup);
    }
    releaseLock(lockPath);
    const validation = validateStore(abs);
    return {
      operation: 'repair',
      processed: Math.floor(bytes.length / RECORD_SIZE),
      modified: dropped.length,
      milliseconds: elapsedSince(t0),
      path: abs,
      keptRecords,
      dropped,
      droppedBytes,
      ...(dropped.length > 0 ? { backup } : {}),
      validation,
      ok: validation.ok,
    };
  } finally {
    releaseLock(lockPath);
  }
}

/** Write the kept ranges to a new file, keep the original as `backup`, and put the new one in its place. */
function writeSalvaged(path: string, bytes: Buffer, kept: DroppedRange[], backup: string): void {
  const tmp = `${path}.repair-${process.pid}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (const { start, end } of kept) {
      for (let done = start; done < end; ) done += writeSync(fd, bytes, done, end - done);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(path, backup);
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(tmp);
    if (!existsSync(path) && existsSync(backup)) renameSync(backup, path); // put the original back
    throw new StoreIOError(path, 'repair', err);
  }
  syncFolder(path);
  removeSidecar(sidecarPathOf(path));
}
