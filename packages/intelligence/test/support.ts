import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goldenText } from '@gyro/tooling/golden';
import { OrbitStore } from '@gyro/store';
import { idsToBytes } from '@gyro/tokenizer';

/** A fresh folder under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'gyro-intel-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new, empty OrbitStore file in `dir`. */
export function freshStore(dir: string, name = 'knowledge.bin', writeThreshold = 100): OrbitStore {
  return OrbitStore.open(join(dir, name), { writeThreshold });
}

/** golden/licenses_ids.txt as one masked byte stream (every line, in order). */
export function licensesStream(): { ids: number[]; bytes: Uint8Array } {
  const ids = goldenText('licenses_ids.txt')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => l.trim().split(/\s+/).map(Number));
  return { ids, bytes: idsToBytes(ids) };
}

/** Every live record as [state, token, mask, confHalfBits], sorted by (state, token). */
export function recordRows(store: OrbitStore): number[][] {
  const rows: number[][] = [];
  for (const [state, token] of store.iterEntries()) {
    const packed = store.getPacked(state, token);
    rows.push([state, token, (packed >>> 16) & 0xff, packed & 0xffff]);
  }
  return rows.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
}

/** SHA-256 of rows packed as little-endian <IIBH (11 bytes each), the golden file's method. */
export function recordsSha256(rows: number[][]): string {
  const buf = Buffer.alloc(rows.length * 11);
  rows.forEach(([s, t, m, c], i) => {
    buf.writeUInt32LE(s!, i * 11);
    buf.writeUInt32LE(t!, i * 11 + 4);
    buf.writeUInt8(m!, i * 11 + 8);
    buf.writeUInt16LE(c!, i * 11 + 9);
  });
  return createHash('sha256').update(buf).digest('hex');
}
