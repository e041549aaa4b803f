import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { getTokenizer } from '../bert/load.js';
import type { GyroTokenizer } from '../bert/GyroTokenizer.js';
import { idsToBytes } from '../wire/codec.js';

export interface TapeWriteReport {
  documents: number;
  tokens: number;
  bytes: number;
}

/**
 * Write a tape: each document encoded `[CLS] … [SEP]`, LEB128, masked, one after another in
 * order. Written to `<path>.partial` and renamed at the end, so a failure never leaves a
 * half-written tape under the real name.
 */
export function writeTape(path: string, docs: Iterable<string>, tokenizer: GyroTokenizer = getTokenizer()): TapeWriteReport {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  const report: TapeWriteReport = { documents: 0, tokens: 0, bytes: 0 };
  try {
    for (const doc of docs) {
      const ids = tokenizer.encode(doc);
      const bytes = idsToBytes(ids);
      writeSync(fd, bytes);
      report.documents++;
      report.tokens += ids.length;
      report.bytes += bytes.length;
    }
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, path);
  return report;
}

/** The bytes of a tape file (masked wire bytes; see bytesToIds, tapeStats, TapeScanner). */
export function readTape(path: string): Uint8Array {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
