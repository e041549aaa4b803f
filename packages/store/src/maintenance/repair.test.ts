import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreIOError } from '../errors.js';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { tempStoreDir } from '../testing.js';
import { repairStore } from './repair.js';
import { validateStore } from './validate.js';

const dir = tempStoreDir();
let n = 0;

/**
 * A log of `count` live puts, record i = (state(i), token(i)), every key distinct. `wide` keys
 * have no zero byte, so a record read at a shifted boundary is never valid.
 */
function log(count: number, wide = false): { path: string; bytes: Buffer } {
  const path = join(dir, `r${n++}.bin`);
  const s = OrbitStore.open(path, { sidecar: false });
  for (let i = 0; i < count; i++) {
    if (wide) s.put(0x31323334 + (i % 50), 0x41424344 + i, 0x5a, 0.5);
    else s.put(i % 50, 7000 + i, i & 0xff, (i % 100) / 100);
  }
  s.close();
  return { path, bytes: readFileSync(path) };
}

const keys = (path: string) => {
  const s = OrbitStore.open(path, { readOnly: true, sidecar: false });
  const out = [...s.iterEntries()].map(([st, t]) => `${st}/${t}`).sort();
  s.close();
  return out;
};

describe('repairStore', () => {
  it('salvages a log with a bad record in the middle: every valid record kept, the range reported, the original as .bak', () => {
    const { path, bytes } = log(1000);
    const damaged = Buffer.from(bytes);
    damaged.fill(0xee, 500 * 12, 501 * 12); // record 500 becomes garbage
    writeFileSync(path, damaged);
    expect(validateStore(path).ok).toBe(false);
    expect(() => OrbitStore.open(path)).toThrow(/unknown pad byte/);
    const r = repairStore(path);
    expect(r.ok).toBe(true);
    expect(r.dropped).toEqual([{ start: 6000, end: 6012 }]);
    expect(r.keptRecords).toBe(999);
    expect(readFileSync(`${path}.bak`).equals(damaged)).toBe(true);
    expect(readFileSync(path).equals(Buffer.concat([bytes.subarray(0, 6000), bytes.subarray(6012)]))).toBe(true);
    expect(keys(path)).toHaveLength(999);
    expect(validateStore(path).ok).toBe(true);
  });

  it('cuts a damaged stretch that shifted the record boundaries exactly, and a torn tail', () => {
    const { path, bytes } = log(400, true);
    // 5 bytes of garbage inserted after record 100, records 200-202 overwritten, 7 stray bytes at the end.
    const damaged = Buffer.concat([
      bytes.subarray(0, 1200),
      Buffer.from([1, 2, 3, 4, 5]),
      bytes.subarray(1200, 2400),
      Buffer.alloc(36, 0x99),
      bytes.subarray(2436),
      Buffer.from([9, 9, 9, 9, 9, 9, 9]),
    ]);
    writeFileSync(path, damaged);
    const r = repairStore(path);
    expect(r.ok).toBe(true);
    expect(r.dropped).toEqual([
      { start: 1200, end: 1205 },
      { start: 2405, end: 2441 },
      { start: damaged.length - 7, end: damaged.length },
    ]);
    expect(r.keptRecords).toBe(397);
    const lost = [200, 201, 202].map((i) => `${0x31323334 + (i % 50)}/${0x41424344 + i}`);
    expect(keys(path)).toEqual(keys(log(400, true).path).filter((k) => !lost.includes(k)));
  });

  it('leaves a sound log alone, and refuses to overwrite an earlier backup', () => {
    const { path, bytes } = log(50);
    const r = repairStore(path);
    expect(r).toMatchObject({ ok: true, dropped: [], keptRecords: 50 });
    expect(existsSync(`${path}.bak`)).toBe(false);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    writeFileSync(`${path}.bak`, 'earlier');
    writeFileSync(path, Buffer.concat([bytes, Buffer.alloc(12, 0x77)]));
    expect(() => repairStore(path)).toThrow(StoreIOError);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('earlier');
  });
});
