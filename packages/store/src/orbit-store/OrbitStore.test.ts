import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { confFromHalfBits } from '../conf.js';
import { CorruptStoreError, ReadOnlyStoreError, StoreLockedError } from '../errors.js';
import { tempStoreDir } from '../testing.js';
import { lockPathOf } from './lock.js';
import { OrbitStore } from './OrbitStore.js';
import { sidecarPathOf } from './sidecar.js';

const dir = tempStoreDir();
let n = 0;
const newPath = () => join(dir, `t${n++}.bin`);

/** One record in the reference's struct layout `<IIBHx`, written byte by byte. */
function referenceRecord(state: number, token: number, mask: number, confBits: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(state, 0);
  b.writeUInt32LE(token, 4);
  b.writeUInt8(mask, 8);
  b.writeUInt16LE(confBits, 9);
  b.writeUInt8(0, 11);
  return b;
}

const learn = goldenJson<{ records: number; records_sha256: string; rows: [number, number, number, number][] }>('licenses_learn.json');

describe('OrbitStore and the reference file format', () => {
  it('reads a file laid out by the reference exactly, newest record winning', () => {
    const path = newPath();
    const parts: Buffer[] = [];
    learn.rows.forEach(([s, t, m, c], i) => {
      // Every third key first gets an older, different record that the newer one must supersede.
      if (i % 3 === 0) parts.push(referenceRecord(s, t, m ^ 0x02, (c + 17) & 0x3fff));
    });
    for (const [s, t, m, c] of learn.rows) parts.push(referenceRecord(s, t, m, c));
    writeFileSync(path, Buffer.concat(parts));

    const store = OrbitStore.open(path, { readOnly: true });
    expect(store.size).toBe(learn.records);
    for (const [s, t, m, c] of learn.rows) {
      expect(store.getPacked(s, t)).toBe((m << 16) | c);
      expect(store.get(s, t)).toEqual({ mask: m, conf: confFromHalfBits(c) });
    }
    // The golden digest: last record per key, sorted by (state, token), packed <IIBH.
    const live = [...store.iterEntries()].map(([s, t]) => [s, t] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const hash = createHash('sha256');
    for (const [s, t] of live) {
      const b = Buffer.alloc(11);
      const packed = store.getPacked(s, t);
      b.writeUInt32LE(s, 0);
      b.writeUInt32LE(t, 4);
      b.writeUInt8(packed >>> 16, 8);
      b.writeUInt16LE(packed & 0xffff, 9);
      hash.update(b);
    }
    expect(hash.digest('hex')).toBe(learn.records_sha256);
    expect(store.stats()).toMatchObject({ liveEntries: learn.records, totalRecords: parts.length, tombstoneRecords: 0 });
    store.close();
  });

  it('writes records byte for byte in the reference layout', () => {
    const path = newPath();
    const store = OrbitStore.open(path);
    store.put(788_985, 30521, 0x42, 0.1);
    store.put(1, 0xffffffff, 0xfe, 1);
    store.close();
    expect(readFileSync(path)).toEqual(Buffer.concat([referenceRecord(788_985, 30521, 0x42, 11878), referenceRecord(1, 0xffffffff, 0xfe, 0x3c00)]));
  });

  it('persists a delete as a tombstone the reference reads as an inert post-state entry', () => {
    const path = newPath();
    const store = OrbitStore.open(path);
    store.put(5, 6, 0x10, 0.5);
    store.put(5, 7, 0x10, 0.5);
    expect(store.delete(5, 6)).toBe(true);
    store.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(36);
    // <IIBHx: state 5, token 6, mask 0x01 (direction bit: post-state, skipped by the reference's generator), conf 0, pad 0xFF.
    expect([...bytes.subarray(24)]).toEqual([5, 0, 0, 0, 6, 0, 0, 0, 0x01, 0, 0, 0xff]);
    for (const sidecar of [true, false]) {
      const again = OrbitStore.open(path, { readOnly: true, sidecar });
      expect(again.get(5, 6)).toBeUndefined();
      expect([...again.iterKeysForState(5)]).toEqual([7]);
      expect(again.stats()).toMatchObject({ liveEntries: 1, totalRecords: 3, tombstoneRecords: 1, distinctStates: 1 });
      again.close();
    }
  });

  it('refuses a file that is not a phenotype log, before writing to it', () => {
    const path = newPath();
    writeFileSync(path, 'this is not a knowledge file!'.padEnd(36, '.'));
    expect(() => OrbitStore.open(path)).toThrow(CorruptStoreError);
    expect(readFileSync(path, 'utf8')).toBe('this is not a knowledge file!'.padEnd(36, '.'));
    expect(existsSync(lockPathOf(path))).toBe(false);
  });
});

describe('OrbitStore reopening', () => {
  const fill = (path: string, count: number) => {
    const store = OrbitStore.open(path, { writeThreshold: 1000 });
    for (let i = 0; i < count; i++) store.put(i % 97, i, i & 0xfe, (i % 1000) / 1000);
    return store;
  };
  const expectFilled = (store: OrbitStore, count: number) => {
    expect(store.size).toBe(count);
    for (let i = 0; i < count; i += 7) expect(store.getPacked(i % 97, i)).toBe(((i & 0xfe) << 16) | (store.getPacked(i % 97, i) & 0xffff));
    expect(store.get(5, 5)).toEqual({ mask: 4, conf: confFromHalfBits(store.getPacked(5, 5) & 0xffff) });
    expect(store.get(5, 5)!.conf).toBe(0.005);
  };

  it('loads its sidecar, and replays records appended after it', () => {
    const path = newPath();
    fill(path, 5000).close();
    expect(existsSync(sidecarPathOf(path))).toBe(true);
    const a = OrbitStore.open(path);
    expect(a.openInfo).toMatchObject({ source: 'sidecar', sidecar: 'loaded', replayedRecords: 0 });
    expectFilled(a, 5000);
    const order = [...a.iterKeysForState(3)];
    expect(order).toEqual([...order].sort((x, y) => x - y)); // first-insertion order survives the sidecar
    a.put(200, 1, 0, 0.5);
    a.flush();
    a.flushOnExit(); // as if the process ended without close(): no new sidecar
    const b = OrbitStore.open(path, { readOnly: true });
    expect(b.openInfo).toMatchObject({ source: 'sidecar', sidecar: 'loaded', replayedRecords: 1 });
    expect(b.size).toBe(5001);
    expect(b.get(200, 1)).toEqual({ mask: 0, conf: 0.5 });
    b.close();
  });

  it('detects a sidecar that disagrees with the log and rebuilds from the log', () => {
    const path = newPath();
    fill(path, 3000).close();
    const sidecar = readFileSync(sidecarPathOf(path));
    // The log is rewritten with different content of the same length: the sidecar is stale.
    const log = readFileSync(path);
    log.writeUInt16LE(0x3c00, 9 + 12 * 2999);
    writeFileSync(path, log);
    const a = OrbitStore.open(path);
    expect(a.openInfo).toMatchObject({ source: 'log', sidecar: 'stale', replayedRecords: 3000 });
    expect(a.get(2999 % 97, 2999)!.conf).toBe(1);
    a.close(); // writes a fresh sidecar
    expect(OrbitStore.open(path, { readOnly: true }).openInfo.sidecar).toBe('loaded');
    // A shorter log than the sidecar covers.
    truncateSync(path, 12 * 10);
    writeFileSync(sidecarPathOf(path), sidecar);
    const b = OrbitStore.open(path, { readOnly: true });
    expect(b.openInfo.sidecar).toBe('stale');
    expect(b.size).toBe(10);
    // A damaged sidecar body.
    const damaged = Buffer.from(sidecar);
    damaged[damaged.length - 100]! ^= 0xff;
    fill(newPath(), 0).close();
    const c = newPath();
    fill(c, 3000).close();
    writeFileSync(sidecarPathOf(c), damaged);
    const d = OrbitStore.open(c, { readOnly: true });
    expect(d.openInfo.sidecar).toBe('corrupt');
    expectFilled(d, 3000);
  });

  it('cuts off a torn tail and reports it', () => {
    const path = newPath();
    fill(path, 100).close();
    appendFileSync(path, Buffer.from([1, 2, 3, 4, 5, 6, 7]));
    const reader = OrbitStore.open(path, { readOnly: true });
    expect(reader.stats()).toMatchObject({ tornTailBytes: 7, liveEntries: 100, fileBytes: 1200 });
    expect(statSync(path).size).toBe(1207); // a reader never changes the file
    reader.close();
    const writer = OrbitStore.open(path);
    expect(writer.openInfo.tornTailBytes).toBe(7);
    expect(statSync(path).size).toBe(1200);
    writer.put(500, 1, 0, 1);
    writer.close();
    const again = OrbitStore.open(path, { readOnly: true });
    expect(again.size).toBe(101);
    expect(again.get(500, 1)).toEqual({ mask: 0, conf: 1 });
  });
});

describe('OrbitStore writers and readers', () => {
  it('allows one writer, and reports who holds the lock', () => {
    const path = newPath();
    const writer = OrbitStore.open(path);
    expect(readFileSync(lockPathOf(path), 'utf8')).toContain(String(process.pid));
    expect(() => OrbitStore.open(path)).toThrow(StoreLockedError);
    expect(() => OrbitStore.open(path)).toThrow(new RegExp(`by process ${process.pid}`));
    writer.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
    OrbitStore.open(path).close();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const path = newPath();
    writeFileSync(lockPathOf(path), `999999999 ${hostname()}\n`);
    const writer = OrbitStore.open(path);
    expect(readFileSync(lockPathOf(path), 'utf8')).toContain(String(process.pid));
    writer.close();
  });

  it('takes over a lock of this process only when its worker thread is named dead', async () => {
    const path = newPath();
    // A worker thread opens the store, writes, and dies without closing it (terminate()).
    const worker = new Worker(
      `const { parentPort, threadId, workerData } = require('node:worker_threads');
       import('@gyro/store').then(({ OrbitStore }) => {
         const s = OrbitStore.open(workerData, { writeThreshold: 1 });
         s.put(7, 8, 9, 0.5);
         parentPort.postMessage(threadId);
       });`,
      { eval: true, workerData: path },
    );
    const dead = await new Promise<number>((r) => worker.once('message', r));
    await worker.terminate();
    expect(readFileSync(lockPathOf(path), 'utf8').trim()).toBe(`${process.pid} ${hostname()} ${dead}`);
    expect(() => OrbitStore.open(path)).toThrow(StoreLockedError); // same pid: not stale by itself
    expect(() => OrbitStore.open(path, { deadThreads: new Set([dead + 1]) })).toThrow(StoreLockedError);
    const writer = OrbitStore.open(path, { deadThreads: new Set([dead]) });
    expect(writer.get(7, 8)?.mask).toBe(9);
    writer.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('read-only opens see whole flushed records and refresh to newer ones', () => {
    const path = newPath();
    const writer = OrbitStore.open(path, { writeThreshold: 10 });
    for (let i = 0; i < 25; i++) writer.put(1, i, 0, 0.5);
    const reader = OrbitStore.open(path, { readOnly: true });
    expect(reader.size).toBe(20); // two batches written, five pending
    expect(() => reader.put(1, 1, 0, 0.1)).toThrow(ReadOnlyStoreError);
    const v = reader.stateVersion(1);
    writer.commit();
    expect(reader.refresh()).toBe(5);
    expect(reader.size).toBe(25);
    expect(reader.stateVersion(1)).not.toBe(v);
    reader.close();
    writer.close();
  });

  it('a reader follows a compaction to the new file, with new versions also for states it dropped', () => {
    const path = newPath();
    const writer = OrbitStore.open(path, { writeThreshold: 1 });
    const gone = 5;
    // A state whose version counter is not the one of `gone`, so stamping it cannot change gone's.
    const kept = [6, 7, 8, 9].find((s) => Math.imul(s, 0x9e3779b1) >>> 26 !== Math.imul(gone, 0x9e3779b1) >>> 26)!;
    for (let i = 0; i < 20; i++) {
      writer.put(gone, i, 0, 0.5);
      writer.put(kept, i, 0, 0.5);
    }
    for (let i = 0; i < 20; i++) writer.delete(gone, i);
    const reader = OrbitStore.open(path, { readOnly: true });
    expect(reader.size).toBe(20);
    const v = reader.stateVersion(gone);
    expect(writer.rewrite()).toMatchObject({ recordsBefore: 60, recordsAfter: 20 }); // a new file renamed over the path
    expect(reader.refresh()).toBe(20); // the new file, read from its start
    expect(reader.stateVersion(gone)).not.toBe(v);
    expect(reader.stats()).toMatchObject({ liveEntries: 20, totalRecords: 20, tombstoneRecords: 0 });
    writer.put(kept, 100, 0, 0.5); // appended to the new file: the reader sees it
    expect(reader.refresh()).toBe(1);
    expect([...reader.iterKeysForState(kept)]).toHaveLength(21);
    expect([...reader.iterKeysForState(gone)]).toHaveLength(0);
    reader.close();
    writer.close();
  });

  it('forEachEntry visits exactly the live entries iterEntries lists, pending puts included', () => {
    const store = OrbitStore.open(newPath(), { writeThreshold: 50 });
    for (let i = 0; i < 500; i++) store.put(i % 13, (i * 31) % 97, i & 0xff, (i % 10) / 10);
    for (let i = 0; i < 500; i += 7) store.delete(i % 13, (i * 31) % 97);
    store.put(99, 1, 3, 0.75); // still pending (not yet in the index) when forEachEntry runs
    const seen: string[] = [];
    store.forEachEntry((state, token, mask, confBits) => seen.push(`${state}/${token}/${mask}/${confFromHalfBits(confBits)}`));
    const listed = [...store.iterEntries()].map(([state, token, mask, conf]) => `${state}/${token}/${mask}/${conf}`);
    expect(seen.length).toBe(store.size);
    expect(seen.sort()).toEqual(listed.sort());
    expect(seen).toContain('99/1/3/0.75');
    store.close();
  });

  it('writes pending records on commit, not before the threshold', () => {
    const path = newPath();
    const writer = OrbitStore.open(path, { writeThreshold: 5 });
    for (let i = 0; i < 4; i++) writer.put(1, i, 0, 0.5);
    expect(statSync(path).size).toBe(0);
    writer.put(1, 4, 0, 0.5);
    expect(statSync(path).size).toBe(60);
    writer.put(1, 5, 0, 0.5);
    writer.commit();
    expect(statSync(path).size).toBe(72);
    writer.close();
  });
});

describe('OrbitStore compaction', () => {
  it('keeps every value and each state order, and a filter removes exactly what it rejects', () => {
    const path = newPath();
    const store = OrbitStore.open(path);
    for (let i = 0; i < 300; i++) store.put(i % 7, (i * 37) % 1000, i & 0xfe, 0.5);
    for (let i = 0; i < 300; i += 3) store.put(i % 7, (i * 37) % 1000, 0, 0.25);
    store.delete(0, 0);
    const order = [0, 1, 2, 3, 4, 5, 6].map((s) => [...store.iterKeysForState(s)]);
    const before = [...store.iterEntries()].sort();
    const r = store.rewrite();
    expect(r).toMatchObject({ recordsBefore: 401, recordsAfter: 299, removed: 0, bytesAfter: 299 * 12 });
    expect([...store.iterEntries()].sort()).toEqual(before);
    const r2 = store.rewrite((s, t, m) => m !== 0);
    expect(r2.removed).toBe(102); // i % 3 == 0 (but 0, deleted), and i = 1, 256, 257 have mask 0
    expect(store.size).toBe(197);
    store.close();
    const again = OrbitStore.open(path, { sidecar: false });
    expect(again.size).toBe(197);
    for (let s = 0; s < 7; s++) expect([...again.iterKeysForState(s)]).toEqual(order[s]!.filter((t) => again.getPacked(s, t) >= 0));
    again.close();
  });
});
