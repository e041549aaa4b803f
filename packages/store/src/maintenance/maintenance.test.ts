import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { sidecarPathOf } from '../orbit-store/sidecar.js';
import { tempStoreDir } from '../testing.js';
import { compactStore, pruneStore } from './compact.js';
import { decayStore } from './decay.js';
import { exportRecords } from './export.js';
import { mergeStores } from './merge.js';
import { applyOrbitEntropy } from './orbit-entropy.js';
import { storeStats } from './stats.js';
import { validateStore } from './validate.js';

const dir = tempStoreDir();
let n = 0;
const newPath = () => join(dir, `m${n++}.bin`);
const make = (entries: Array<[number, number, number, number]>, path = newPath()) => {
  const store = OrbitStore.open(path);
  for (const [s, t, m, c] of entries) store.put(s, t, m, c);
  store.close();
  return path;
};
const read = (path: string) => {
  const store = OrbitStore.open(path, { readOnly: true });
  const out = Object.fromEntries([...exportRecords(store)].map((r) => [`${r.state}/${r.token}`, [r.mask, r.conf]]));
  store.close();
  return out;
};

describe('compact and prune', () => {
  it('compacts in place to one record per live key, keeping what is read', () => {
    const path = make([
      [1, 1, 0, 0.1],
      [1, 1, 2, 0.2],
      [1, 2, 0, 0.3],
      [2, 5, 0, 0.5],
    ]);
    const s = OrbitStore.open(path);
    s.delete(1, 2);
    s.close();
    const before = read(path);
    const report = compactStore(path);
    expect(report).toMatchObject({ operation: 'compact', processed: 5, modified: 3, recordsBefore: 5, recordsAfter: 2, bytesAfter: 24 });
    expect(statSync(path).size).toBe(24);
    expect(existsSync(sidecarPathOf(path))).toBe(true); // written again on close
    expect(read(path)).toEqual(before);
    expect(validateStore(path).ok).toBe(true);
  });

  it('compacts into another file and leaves the source alone', () => {
    const path = make([
      [1, 1, 0, 0.1],
      [1, 1, 2, 0.2],
    ]);
    const out = newPath();
    const report = compactStore(path, { output: out });
    expect(report).toMatchObject({ recordsBefore: 2, recordsAfter: 1, modified: 1 });
    expect(statSync(path).size).toBe(24);
    expect(read(out)).toEqual(read(path));
  });

  it('prunes below a confidence, with an archive, and a dry run changes nothing', () => {
    const path = make([
      [1, 1, 0, 0.05],
      [1, 2, 0, 0.5],
      [3, 3, 4, 0.01],
      [3, 4, 0, 0.875],
    ]);
    const dry = pruneStore(path, { minConf: 0.1, dryRun: true });
    expect(dry).toMatchObject({ processed: 4, modified: 2, dryRun: true });
    expect(Object.keys(read(path)).length).toBe(4);
    const archive = join(dir, 'pruned.json');
    const report = pruneStore(path, { minConf: 0.1, archivePath: archive });
    expect(report).toMatchObject({ processed: 4, modified: 2, recordsAfter: 2 });
    expect(read(path)).toEqual({ '1/2': [0, 0.5], '3/4': [0, 0.875] });
    const summary = JSON.parse(readFileSync(archive, 'utf8'));
    expect(summary.pruned).toEqual([
      { state: 1, token: 1, mask: 0, conf: 0.05 },
      { state: 3, token: 3, mask: 4, conf: 0.01 },
    ]);
  });

  it('prunes an open store by deleting', () => {
    const store = OrbitStore.open(
      make([
        [1, 1, 0, 0.05],
        [1, 2, 0, 0.5],
      ]),
    );
    expect(pruneStore(store, { minConf: 0.1 })).toMatchObject({ processed: 2, modified: 1 });
    expect(store.size).toBe(1);
    store.close();
  });
});

describe('merge', () => {
  const a = () =>
    make([
      [1, 1, 0x02, 0.5],
      [1, 2, 0x02, 0.25],
    ]);
  const b = () =>
    make([
      [1, 1, 0x04, 0.25],
      [2, 9, 0, 0.75],
    ]);
  it.each([
    ['highest', [0x02, 0.5]],
    ['or', [0x06, 0.5]],
    ['newest', [0x04, 0.25]],
    ['weighted', [0x06, 0.4167]], // (0.5² + 0.25²) / 0.75
  ] as const)('%s', (policy, merged) => {
    const dest = newPath();
    const report = mergeStores([a(), b()], dest, { policy });
    expect(report).toMatchObject({ processed: 4, conflicts: 1, entries: 3 });
    expect(read(dest)).toEqual({ '1/1': merged, '1/2': [0x02, 0.25], '2/9': [0, 0.75] });
  });

  it('refuses a destination that is also a source', () => {
    const src = a();
    expect(() => mergeStores([src], src)).toThrow(/also the destination/);
  });
});

describe('decay', () => {
  it('multiplies by a factor, never below the floor, and leaves lower values', () => {
    const path = make([
      [1, 1, 0, 0.5],
      [1, 2, 0, 0.011],
      [1, 3, 0, 0.005],
    ]);
    const report = decayStore(path, { factor: 0.5 });
    expect(report).toMatchObject({ processed: 3, modified: 2, mode: 'factor' });
    expect(read(path)).toEqual({ '1/1': [0, 0.25], '1/2': [0, 0.01], '1/3': [0, 0.005] });
  });

  it('subtracts a rate (engine decay); dry run writes nothing', () => {
    const path = make([[1, 1, 0, 0.5]]);
    expect(decayStore(path, { rate: 0.25, dryRun: true })).toMatchObject({ modified: 1 });
    expect(read(path)).toEqual({ '1/1': [0, 0.5] });
    decayStore(path, { rate: 0.25 });
    expect(read(path)).toEqual({ '1/1': [0, 0.25] });
    expect(() => decayStore(path, {})).toThrow(/exactly one/);
  });
});

describe('orbit entropy', () => {
  it('keeps the N best tokens per orbit by conf share and token rarity', () => {
    const store = OrbitStore.open(
      make([
        [10, 5, 0, 0.5],
        [10, 1000, 0, 0.5],
        [10, 3, 0, 0.1],
        [11, 7, 0, 0.9],
        [20, 1, 0, 0.1],
      ]),
    );
    // States 10 and 11 share orbit 10.
    const phen = Int32Array.from({ length: 30 }, (_, i) => (i === 11 ? 10 : i));
    const report = applyOrbitEntropy(store, { maxTokensPerOrbit: 2, phenomenology: phen });
    expect(report).toMatchObject({ processed: 5, modified: 2, orbits: 2 });
    // Scores in orbit 10 (Σ 2.0): 5 → .25/(1+ln6)=.0898, 1000 → .25/(1+ln1001)=.0316, 3 → .05/(1+ln4)=.0210, 7 → .45/(1+ln8)=.1471.
    expect([...store.iterEntries()].map(([s, t]) => `${s}/${t}`).sort()).toEqual(['10/5', '11/7', '20/1']);
    store.close();
  });
});

describe('stats, validate and export', () => {
  it('reports live entries, records, states, bytes and a torn tail', () => {
    const path = make([
      [1, 1, 0x02, 0.5],
      [1, 1, 0x02, 0.75],
      [2, 1, 0x40, 0.05],
    ]);
    appendFileSync(path, Buffer.from([9, 9, 9]));
    expect(storeStats(path)).toMatchObject({
      liveEntries: 2,
      totalRecords: 3,
      distinctStates: 2,
      fileBytes: 36,
      tornTailBytes: 3,
      modified: 0,
      confHistogram: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0],
      maskBits: [0, 1, 0, 0, 0, 0, 1, 0],
    });
    const v = validateStore(path);
    expect(v).toMatchObject({ ok: false, records: 3, tornTailBytes: 3, unknownRecords: 0 });
    expect(v.issues[0]).toMatch(/torn tail/);
  });

  it('finds unknown records, out-of-range confidences and stale locks', () => {
    const path = newPath();
    const b = Buffer.alloc(36);
    b.writeUInt16LE(0x3c01, 9); // conf just above 1
    b.writeUInt8(0x07, 23); // unknown pad
    writeFileSync(path, b);
    writeFileSync(`${path}.lock`, `999999999 ${hostname()}\n`);
    const v = validateStore(path);
    expect(v).toMatchObject({ ok: false, unknownRecords: 1, confOutOfRange: 1, lock: 'stale', sidecar: 'unreadable' });
    expect(v.issues.length).toBe(3);
  });

  it('exports live records sorted by state and token', () => {
    const store = OrbitStore.open(
      make([
        [5, 2, 0, 0.5],
        [1, 9, 0, 0.1],
        [5, 1, 0x10, 1],
        [1, 3, 0, 0.2],
      ]),
    );
    expect([...exportRecords(store)]).toEqual([
      { state: 1, token: 3, mask: 0, conf: 0.2, confBits: 12902 },
      { state: 1, token: 9, mask: 0, conf: 0.1, confBits: 11878 },
      { state: 5, token: 1, mask: 0x10, conf: 1, confBits: 0x3c00 },
      { state: 5, token: 2, mask: 0, conf: 0.5, confBits: 0x3800 },
    ]);
    store.close();
  });
});
