import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { compactStore } from '../maintenance/compact.js';
import { validateStore } from '../maintenance/validate.js';
import { tempStoreDir } from '../testing.js';
import { StoreVerifyError } from '../errors.js';
import { KeyIndex, type KeyIndexImage, LIVE } from './key-index.js';
import { OrbitStore } from './OrbitStore.js';
import { replayLog } from './replay.js';
import { fingerprintLog, sidecarPathOf, writeSidecar } from './sidecar.js';

// fsync is free on tmpfs: the exhaustive test compacts a few thousand times.
const dir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/gyro-sidecar-') : tempStoreDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Live entries of a store read from its log alone, as sorted "state/token/packed" strings. */
function entriesFromLog(path: string): string[] {
  const s = OrbitStore.open(path, { readOnly: true, sidecar: false });
  const out: string[] = [];
  s.forEachEntry((st, t, m, bits) => out.push(`${st}/${t}/${(m << 16) | bits}`));
  s.close();
  return out.sort();
}

/**
 * A store with superseded records and tombstones, closed so it has a sidecar. `n` keys: the
 * default makes a small sidecar; past 11,000 the log is longer than the two 64 KiB probes.
 */
function smallStore(path: string, n = 48): { log: Buffer; sidecar: Buffer; live: string[] } {
  const s = OrbitStore.open(path);
  for (let i = 0; i < n; i++) s.put(i % 9, 1000 + i, i & 0xff, (i % 10) / 10);
  for (let i = 0; i < 12; i++) s.put(i % 9, 1000 + i, 7, 0.75); // superseded records
  for (let i = 40; i < 44; i++) s.delete(i % 9, 1000 + i); // tombstones
  s.close();
  return { log: readFileSync(path), sidecar: readFileSync(sidecarPathOf(path)), live: entriesFromLog(path) };
}

describe('a damaged sidecar is never trusted', () => {
  afterEach(() => vi.restoreAllMocks());

  it('every single changed byte makes validate fail and compact keep every live entry', async () => {
    const path = join(dir, 'every-byte.bin');
    const { log, sidecar, live } = smallStore(path);
    expect(live.length).toBe(44);
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
    const sidecarPath = sidecarPathOf(path);
    expect(validateStore(path)).toMatchObject({ ok: true, sidecar: 'loaded', liveEntries: 44 });
    for (let offset = 0; offset < sidecar.length; offset++) {
      if (offset % 64 === 0) await new Promise((r) => setImmediate(r)); // let vitest's worker talk
      // Lowest bit, highest bit, or the whole byte, in turn.
      for (const flip of [[0x01, 0x80, 0xff][offset % 3]!]) {
        const damaged = Buffer.from(sidecar);
        damaged[offset]! ^= flip;
        writeFileSync(path, log);
        writeFileSync(sidecarPath, damaged);
        const v = validateStore(path);
        if (v.ok || v.sidecar !== 'corrupt') throw new Error(`byte ${offset} ^ ${flip}: validate says ${JSON.stringify(v)}`);
        const before = warnings.length;
        const c = compactStore(path);
        expect(warnings.length).toBe(before + 1); // the open named why it ignored the sidecar
        const after = entriesFromLog(path);
        if (c.recordsAfter !== 44 || after.join() !== live.join()) throw new Error(`byte ${offset} ^ ${flip}: compact kept ${after.length} of 44 entries`);
      }
    }
    expect(warnings.some((w) => /header checksum mismatch/.test(w))).toBe(true);
    expect(warnings.some((w) => /key table checksum mismatch/.test(w))).toBe(true);
    expect(warnings.some((w) => /state table checksum mismatch/.test(w))).toBe(true);
  }, 240_000);

  it('a sidecar cut short or lengthened is corrupt', () => {
    const path = join(dir, 'length.bin');
    const { sidecar, live } = smallStore(path);
    for (const bytes of [sidecar.subarray(0, 100), sidecar.subarray(0, sidecar.length - 4), Buffer.concat([sidecar, Buffer.alloc(4)])]) {
      writeFileSync(sidecarPathOf(path), bytes);
      const s = OrbitStore.open(path, { readOnly: true, onWarning: () => {} });
      expect(s.openInfo).toMatchObject({ source: 'log', sidecar: 'corrupt' });
      expect(s.size).toBe(live.length);
      s.close();
    }
  });

  it('validate finds a live record changed in the middle of the log while the sidecar is used', () => {
    const path = join(dir, 'middle.bin');
    const { log } = smallStore(path, 30_000);
    const changed = Buffer.from(log);
    const at = 15_000 * 12; // record 15,000 (state 6, token 16000), 176 KiB from either end
    changed[at + 9]! ^= 0x10; // its confidence bits
    writeFileSync(path, changed);
    const s = OrbitStore.open(path, { readOnly: true });
    expect(s.openInfo.source).toBe('sidecar'); // head and tail of the log are unchanged
    s.close();
    const v = validateStore(path);
    expect(v.ok).toBe(false);
    expect(v.issues.join('\n')).toMatch(/state 6 token 16000: .* the log says/);
  });

  it('a sidecar that no longer matches the log it describes is stale, with the reason', () => {
    const path = join(dir, 'stale.bin');
    const { log } = smallStore(path, 30_000);
    const changed = Buffer.from(log);
    changed[log.length - 12 + 9]! ^= 0x01; // the last record's conf
    writeFileSync(path, changed);
    const reasons: string[] = [];
    const s = OrbitStore.open(path, { readOnly: true, onWarning: (m) => reasons.push(m) });
    expect(s.openInfo).toMatchObject({ source: 'log', sidecar: 'stale' });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/last records it covers .* differ/);
    s.close();
    writeFileSync(path, log.subarray(0, log.length - 24));
    expect(validateStore(path).issues.join()).toMatch(/sidecar is stale: it describes \d+ log bytes, the log has \d+/);
  });
});

describe('compaction checks what it writes against what it read', () => {
  /** A sidecar that passes every check but lies: built from the log, then `lie` applied, re-hashed. */
  function lyingSidecar(path: string, lie: (image: KeyIndexImage) => KeyIndexImage): void {
    const fd = openSync(path, 'r');
    const bytes = fstatSync(fd).size;
    const index = new KeyIndex(bytes / 12);
    const { records, tombstones } = replayLog(fd, path, 0, bytes, index, false);
    writeSidecar(sidecarPathOf(path), { image: lie(index.image()), log: fingerprintLog(fd, bytes), totalRecords: records, tombstoneRecords: tombstones });
    closeSync(fd);
  }

  it('refuses, with a typed error and the file untouched, when the index counts other entries than it lists', () => {
    const path = join(dir, 'lying.bin');
    const { log, live } = smallStore(path);
    lyingSidecar(path, (image) => ({ ...image, live: image.live - 1 }));
    const s = OrbitStore.open(path, { readOnly: true });
    expect(s.openInfo.sidecar).toBe('loaded'); // every check passes: only the content lies
    s.close();
    expect(() => compactStore(path)).toThrow(StoreVerifyError);
    expect(() => compactStore(path)).toThrow(/index counts 43 live entries but its state lists hold 44/);
    expect(readFileSync(path).equals(log)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.rewrite-'))).toEqual([]);
    expect(entriesFromLog(path)).toEqual(live);
    const output = join(dir, 'lying-out.bin');
    expect(() => compactStore(path, { output })).toThrow(/read 44 entries of 43/);
    expect(existsSync(output)).toBe(false); // the output it created is removed
  });

  it('refuses when the state lists and the key table disagree', () => {
    const path = join(dir, 'lists.bin');
    const { log } = smallStore(path);
    lyingSidecar(path, (image) => {
      // Unlink one live key from its state's list: the key table still holds it.
      const t = image.buckets.slice();
      for (let o = 0; o < t.length; o += 4) {
        const next = t[o + 3]!;
        if (next !== 0 && t[((next - 1) << 2) + 2]! & LIVE) {
          t[o + 3] = t[((next - 1) << 2) + 3]!;
          break;
        }
      }
      return { ...image, buckets: t };
    });
    expect(() => compactStore(path)).toThrow(/index counts 44 live entries but its state lists hold 43/);
    expect(readFileSync(path).equals(log)).toBe(true);
  });
});
