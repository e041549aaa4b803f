import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { testAssetsDir } from '../testing.js';
import { ensureAssets } from './ensure.js';
import { ASSET_FILES, MANIFEST_FILE } from './files.js';
import { readManifest } from './manifest.js';
import { readNpy } from './npy.js';
import { verifyAssets, type VerifyReport } from './verify.js';

interface GoldenAssets {
  files: Record<string, string>;
  file_sizes: Record<string, number>;
  states: number;
  bfs_layer_sizes: number[];
  archetype_state: number;
  archetype_index: number;
  orbits: number;
  v_max: number;
  theta_distinct_values: number;
  stt_row_of_archetype: number[];
}
const golden = goldenJson<GoldenAssets>('assets.json');

let dir: string;
let report: VerifyReport;
beforeAll(async () => {
  dir = await testAssetsDir();
  // The proof of the physics: rehash every file once per run, against the reference.
  report = verifyAssets(dir, { expected: golden });
});

describe('meta-assets (built once into .cache/assets)', () => {
  it('verify finds no problem', () => {
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
  it.each(ASSET_FILES)('%s has the reference SHA-256 and size', (name) => {
    const f = report.files.find((x) => x.name === name)!;
    expect(f.sha256).toBe(golden.files[name]);
    expect(f.size).toBe(golden.file_sizes[name]);
    expect(statSync(join(dir, name)).size).toBe(golden.file_sizes[name]);
  });
  it('counts agree with the reference', () => {
    expect(report.counts).toEqual({
      states: golden.states,
      archetypeIndex: golden.archetype_index,
      layers: golden.bfs_layer_sizes,
      orbits: golden.orbits,
      vMax: golden.v_max,
      archetypeOrbitSize: 1,
      thetaDistinct: golden.theta_distinct_values,
    });
    expect(readManifest(dir)!.counts.layers).toEqual(golden.bfs_layer_sizes);
  });
  it('keys hold the archetype at its index; the STT row of the archetype is the reference’s', () => {
    const keys = readNpy(join(dir, 'ontology_keys.npy')).data;
    expect(keys[golden.archetype_index]).toBe(golden.archetype_state);
    // One row, read in place (the whole table is 808 MB).
    const row = new Int32Array(256);
    const fd = openSync(join(dir, 'epistemology.npy'), 'r');
    readSync(fd, new Uint8Array(row.buffer), 0, 1024, 128 + golden.archetype_index * 1024);
    closeSync(fd);
    expect(Array.from(row)).toEqual(golden.stt_row_of_archetype);
  });
  it('ensureAssets keeps assets whose manifest still matches', async () => {
    expect((await ensureAssets(dir)).built).toBe(false);
  });
});

describe('verify catches damage', () => {
  let bad: string;
  beforeAll(() => {
    bad = mkdtempSync(join(tmpdir(), 'gyro-bad-assets-'));
    for (const name of [...ASSET_FILES, MANIFEST_FILE]) {
      if (name === 'theta.npy' || name === 'orbit_sizes.npy' || name === 'ontology_keys.npy') copyFileSync(join(dir, name), join(bad, name));
      else symlinkSync(join(dir, name), join(bad, name));
    }
  });
  afterAll(() => rmSync(bad, { recursive: true, force: true }));

  it('a changed key, a changed θ value and a truncated file are reported; a missing manifest too', () => {
    const theta = readFileSync(join(bad, 'theta.npy'));
    theta.writeFloatLE(1.25, 128 + 4 * 1000);
    writeFileSync(join(bad, 'theta.npy'), theta);
    const sizes = readFileSync(join(bad, 'orbit_sizes.npy'));
    writeFileSync(join(bad, 'orbit_sizes.npy'), sizes.subarray(0, sizes.length - 8));
    rmSync(join(bad, MANIFEST_FILE));
    // Replace one key by an unreachable state with equal halves, keeping the keys sorted.
    const keys = readFileSync(join(bad, 'ontology_keys.npy'));
    const half = (k: number): number => keys.readUIntLE(128 + 8 * k, 3);
    let k = 1000;
    while (half(k) + 1 >= half(k + 1)) k++;
    keys.writeUIntLE((half(k) + 1) * (2 ** 24 + 1), 128 + 8 * k, 6);
    writeFileSync(join(bad, 'ontology_keys.npy'), keys);
    const r = verifyAssets(bad, { expected: golden });
    expect(r.problems.join('\n')).toContain(`ontology_keys.npy: differs from the states reachable from the archetype (first at index ${k};`);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/manifest\.json is missing/);
    expect(r.problems.join('\n')).toMatch(/orbit_sizes\.npy.*truncated/);
    expect(r.problems.join('\n')).toMatch(/theta\.npy: SHA-256 \w+, expected/);
    expect(r.files.find((f) => f.name === 'theta.npy')!.ok).toBe(false);
    expect(r.files.find((f) => f.name === 'ontology_keys.npy')!.ok).toBe(false);
    expect(r.files.find((f) => f.name === 'phenomenology_map.npy')!.ok).toBe(true);
  });
});
