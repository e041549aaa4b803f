import { RECORD_SIZE } from '../record.js';
import { recordChunks } from './replay.js';

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * An order-independent digest of a set of entries (state, token, packed value): their count and
 * two 32-bit sums of well-mixed hashes. Two sets that differ in any entry differ here with
 * probability 1 − 2⁻⁶⁴; digests of disjoint sets add up. What compaction and merge compare
 * before they replace or keep a file.
 */
export class EntryDigest {
  count = 0;
  private a = 0;
  private b = 0;

  add(state: number, token: number, value: number): void {
    const x = Math.imul(state, 0x9e3779b1) ^ Math.imul(token + 0x7f4a7c15, 0x85ebca6b) ^ Math.imul(value + 0x27d4eb2f, 0xc2b2ae35);
    this.a = (this.a + fmix(x)) | 0;
    this.b = (this.b + fmix(x ^ 0x5bd1e995 ^ (state >>> 7) ^ Math.imul(token, 0x165667b1))) | 0;
    this.count++;
  }

  /** This digest plus another of a disjoint set. */
  plus(o: EntryDigest): EntryDigest {
    const d = new EntryDigest();
    d.count = this.count + o.count;
    d.a = (this.a + o.a) | 0;
    d.b = (this.b + o.b) | 0;
    return d;
  }

  equals(o: EntryDigest): boolean {
    return this.count === o.count && this.a === o.a && this.b === o.b;
  }
}

/**
 * The digest of the records in bytes [0, bytes) of the log at `fd`, read as a compacted log:
 * one live record per key. Returns undefined when a record is not a live one.
 */
export function digestCompactedLog(fd: number, bytes: number): EntryDigest | undefined {
  const d = new EntryDigest();
  for (const { view, bytes: n } of recordChunks(fd, 0, bytes)) {
    for (let at = 0; at < n; at += RECORD_SIZE) {
      const w = view.getUint32(at + 8, true);
      if (w >>> 24 !== 0) return undefined;
      d.add(view.getUint32(at, true), view.getUint32(at + 4, true), ((w & 0xff) << 16) | ((w >>> 8) & 0xffff));
    }
  }
  return d;
}
