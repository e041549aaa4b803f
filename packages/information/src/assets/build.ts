import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HALF } from '../physics/constants.js';
import { ARCHETYPE_STATE, ONTOLOGY_SIZE } from '../physics/machine.js';
import { assertCounts, type AssetCounts } from './checks.js';
import { contentHash } from './content-hash.js';
import { ASSET_FILES, ASSET_LAYOUT, MANIFEST_FILE, assetShape, type AssetFile } from './files.js';
import { type Manifest, MANIFEST_FORMAT } from './manifest.js';
import { npyBytes, npyHeader, type NpyData } from './npy.js';
import { buildOntology } from './ontology.js';
import { buildPhenomenology } from './phenomenology.js';
import type { BuildProgressFn } from './progress.js';
import { writeSttInWorker } from './stt-writer.js';
import { buildTheta } from './theta.js';

export interface BuildOptions {
  onProgress?: BuildProgressFn | undefined;
}

export interface BuildReport {
  dir: string;
  counts: AssetCounts;
  files: { name: AssetFile; size: number; sha256: string; contentHash: string }[];
  ms: number;
}

/**
 * Build the five meta-assets into `dir`. The ontology comes first; then a worker thread
 * computes the 808 MB transition table and writes it (under a temporary name, hashed as it is
 * written, in 8 MiB chunks: the table is never held in memory) while this thread finds the
 * orbits (from the formula, not the table) and θ. Every count is checked against SPEC §2
 * before anything is put in place: a disagreement stops the worker, removes the temporary
 * files and throws AssetError ASSET_COUNT_MISMATCH. The files are then renamed into place and
 * the manifest (sizes, mtimes, SHA-256, content hashes) written last.
 */
export async function buildAssets(dir: string, opts: BuildOptions = {}): Promise<BuildReport> {
  const t0 = performance.now();
  const progress = opts.onProgress;
  // The BFS does not know its total until it ends; the expected size gives the bar its ETA.
  const ontology = buildOntology(ARCHETYPE_STATE, progress && ((d, t) => progress('ontology', d, t ?? ONTOLOGY_SIZE)));
  const { halves, keys, index, layers } = ontology;
  const n = keys.length;
  const archetypeIndex = index.indexOf(ARCHETYPE_STATE % HALF);

  mkdirSync(dir, { recursive: true });
  const tmp = (name: string): string => join(dir, `.${name}.tmp-${process.pid}`);
  const stt = writeSttInWorker(tmp('epistemology.npy'), npyHeader('<i4', assetShape('epistemology.npy', n)), halves, index);
  const written: BuildReport['files'] = [];
  let counts: AssetCounts;
  try {
    // The table (worker) and the orbits and θ (here) are computed at once; progress is the table's.
    const tableProgress = progress && (() => progress('epistemology', stt.rowsWritten(), n));
    const phen = buildPhenomenology(halves, index, tableProgress);
    const theta = buildTheta(keys, ARCHETYPE_STATE);
    counts = {
      states: n,
      archetypeIndex,
      layers,
      orbits: phen.count,
      vMax: phen.vMax,
      archetypeOrbitSize: archetypeIndex >= 0 ? phen.orbitSizes[archetypeIndex]! : 0,
      thetaDistinct: new Set(theta).size,
    };
    assertCounts(counts, dir);

    const small: [AssetFile, NpyData][] = [
      ['ontology_keys.npy', keys],
      ['theta.npy', theta],
      ['phenomenology_map.npy', phen.representative],
      ['orbit_sizes.npy', phen.orbitSizes],
    ];
    for (const [name, data] of small) {
      const header = npyHeader(ASSET_LAYOUT[name].dtype, assetShape(name, n));
      const body = npyBytes(data, ASSET_LAYOUT[name].dtype);
      writeFileSync(tmp(name), Buffer.concat([header, body]));
      const sha256 = createHash('sha256').update(header).update(body).digest('hex');
      written.push({ name, size: header.length + body.length, sha256, contentHash: contentHash(data) });
    }
    const timer = tableProgress && setInterval(tableProgress, 100);
    try {
      written.push({ name: 'epistemology.npy', ...(await stt.done) });
    } finally {
      if (timer) clearInterval(timer);
    }
    progress?.('epistemology', n, n);
    written.sort((a, b) => ASSET_FILES.indexOf(a.name) - ASSET_FILES.indexOf(b.name));

    rmSync(join(dir, MANIFEST_FILE), { force: true });
    const manifest: Manifest = { format: MANIFEST_FORMAT, builtAt: new Date().toISOString(), counts, files: {} };
    for (const f of written) {
      const target = join(dir, f.name);
      renameSync(tmp(f.name), target);
      manifest.files[f.name] = { size: f.size, sha256: f.sha256, mtimeMs: statSync(target).mtimeMs, contentHash: f.contentHash };
    }
    writeFileSync(tmp(MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    renameSync(tmp(MANIFEST_FILE), join(dir, MANIFEST_FILE));
  } catch (err) {
    await stt.cancel();
    throw err;
  } finally {
    for (const name of [...ASSET_FILES, MANIFEST_FILE]) rmSync(tmp(name), { force: true });
  }
  return { dir, counts, files: written, ms: performance.now() - t0 };
}
