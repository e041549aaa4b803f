import { readSync } from 'node:fs';
import { CorruptStoreError } from '../errors.js';
import { LIVE_PAD, RECORD_SIZE, TOMBSTONE_PAD } from '../record.js';
import type { KeyIndex } from './key-index.js';

const CHUNK_RECORDS = 1 << 18; // 3 MiB reads

/** The whole records of bytes [from, to) of a log, a few MiB at a time (the view is reused). */
export function* recordChunks(fd: number, from: number, to: number): Generator<{ view: DataView; bytes: number; offset: number }> {
  const buf = new Uint8Array(CHUNK_RECORDS * RECORD_SIZE);
  const view = new DataView(buf.buffer);
  for (let pos = from; pos < to; ) {
    const want = Math.min(buf.length, to - pos);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    const whole = got - (got % RECORD_SIZE);
    if (whole === 0) return;
    yield { view, bytes: whole, offset: pos };
    pos += whole;
  }
}

/**
 * Apply the whole records in bytes [from, to) of the log to the index, oldest first, so the
 * newest record of a key wins. A pad byte other than 0 (live) or 0xFF (tombstone) means the
 * file is not a phenotype log: CorruptStoreError, before anything is written to it.
 */
export function replayLog(fd: number, path: string, from: number, to: number, index: KeyIndex): { records: number; tombstones: number } {
  let records = 0;
  let tombstones = 0;
  for (const { view, bytes, offset } of recordChunks(fd, from, to)) {
    for (let at = 0; at < bytes; at += RECORD_SIZE) {
      const w = view.getUint32(at + 8, true);
      const pad = w >>> 24;
      if (pad === LIVE_PAD) index.set(view.getUint32(at, true), view.getUint32(at + 4, true), ((w & 0xff) << 16) | ((w >>> 8) & 0xffff));
      else if (pad === TOMBSTONE_PAD) {
        index.delete(view.getUint32(at, true), view.getUint32(at + 4, true));
        tombstones++;
      } else throw new CorruptStoreError(path, `record with unknown pad byte 0x${pad.toString(16)}`, offset + at);
    }
    records += bytes / RECORD_SIZE;
  }
  return { records, tombstones };
}
