import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { HALF } from '../physics/constants.js';
import { ARCHETYPE_STATE } from '../physics/machine.js';
import { assertCounts, type AssetCounts } from './checks.js';
import { fillEpistemology } from './epistemology.js';
import { ASSET_FILES, MANIFEST_FILE, assetShape, type AssetFile } from './files.js';
import { type Manifest, MANIFEST_FORMAT } from './manifest.js';
import { npyBytes, npyHeader } from './npy.js';
import { buildOntology } from './ontology.js';
import { buildPhenomenology } from './phenomenology.js';
import type { BuildProgressFn } from './progress.js';
import { buildTheta } from './theta.js';

export interface BuildOptions {
  onProgress?: BuildProgressFn;
}

export interface BuildReport {
  dir: string;
  counts: AssetCounts;
  files: { name: AssetFile; size: number; sha256: string }[];
  ms: number;
}

/** Rows of the transition table computed and written per step (8 MiB). */
const STT_CHUNK_ROWS = 8192;

/**
 * Build the five meta-assets into `dir`. Everything is computed and checked against SPEC §2
 * before a byte is written (a disagreeing count throws AssetError ASSET_COUNT_MISMATCH and
 * leaves `dir` untouched). Files are written under temporary names, hashed as they are written,
 * then renamed into place; the manifest (sizes, mtimes, SHA-256) is written last.
 *
 * The 808 MB transition table is never held in memory: it is computed in 8 MiB chunks, each
 * hashed and written while the next is computed (double buffering). Fresh memory is expensive
 * (page faults), and the strongly connected components come from the formula instead.
 */
export async function buildAssets(dir: string, opts: BuildOptions = {}): Promise<BuildReport> {
  const t0 = performance.now();
  const progress = opts.onProgress;
  const ontology = buildOntology(ARCHETYPE_STATE, progress && ((d, t) => progress('ontology', d, t)));
  const { halves, keys, index, layers } = ontology;
  const n = keys.length;
  const archetypeIndex = index.indexOf(ARCHETYPE_STATE % HALF);
  const phen = buildPhenomenology(halves, index, progress && ((d, t) => progress('phenomenology', d, t)));
  progress?.('theta', 0, n);
  const theta = buildTheta(keys, ARCHETYPE_STATE);
  progress?.('theta', n, n);
  const counts: AssetCounts = {
    states: n,
    archetypeIndex,
    layers,
    orbits: phen.count,
    vMax: phen.vMax,
    archetypeOrbitSize: archetypeIndex >= 0 ? phen.orbitSizes[archetypeIndex]! : 0,
    thetaDistinct: new Set(theta).size,
  };
  assertCounts(counts, dir);

  mkdirSync(dir, { recursive: true });
  const tmp = (name: string): string => join(dir, `.${name}.tmp-${process.pid}`);
  const written: BuildReport['files'] = [];
  try {
    const small: [AssetFile, Uint8Array][] = [
      ['ontology_keys.npy', npyBytes(keys, '<u8')],
      ['theta.npy', npyBytes(theta)],
      ['phenomenology_map.npy', npyBytes(phen.representative)],
      ['orbit_sizes.npy', npyBytes(phen.orbitSizes)],
    ];
    for (const [name, body] of small) {
      const header = npyHeader(name === 'ontology_keys.npy' ? '<u8' : name === 'theta.npy' ? '<f4' : name === 'orbit_sizes.npy' ? '<u4' : '<i4', assetShape(name, n));
      writeFileSync(tmp(name), Buffer.concat([header, body]));
      written.push({ name, size: header.length + body.length, sha256: createHash('sha256').update(header).update(body).digest('hex') });
    }
    written.push(await writeEpistemology(tmp('epistemology.npy'), halves, index, progress));
    written.sort((a, b) => ASSET_FILES.indexOf(a.name) - ASSET_FILES.indexOf(b.name));

    rmSync(join(dir, MANIFEST_FILE), { force: true });
    const manifest: Manifest = { format: MANIFEST_FORMAT, builtAt: new Date().toISOString(), counts, files: {} };
    for (const f of written) {
      const target = join(dir, f.name);
      renameSync(tmp(f.name), target);
      manifest.files[f.name] = { size: f.size, sha256: f.sha256, mtimeMs: statSync(target).mtimeMs };
    }
    writeFileSync(tmp(MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    renameSync(tmp(MANIFEST_FILE), join(dir, MANIFEST_FILE));
  } finally {
    for (const name of [...ASSET_FILES, MANIFEST_FILE]) rmSync(tmp(name), { force: true });
  }
  return { dir, counts, files: written, ms: performance.now() - t0 };
}

async function writeEpistemology(path: string, halves: Int32Array, index: Parameters<typeof fillEpistemology>[2], progress?: BuildProgressFn): Promise<BuildReport['files'][number]> {
  const n = halves.length;
  const header = npyHeader('<i4', assetShape('epistemology.npy', n));
  const hash = createHash('sha256').update(header);
  const buffers = [new Int32Array(STT_CHUNK_ROWS * 256), new Int32Array(STT_CHUNK_ROWS * 256)];
  const fh = await open(path, 'w');
  try {
    await fh.write(header, 0, header.length, 0);
    let position = header.length;
    let pending: Promise<unknown> = Promise.resolve();
    for (let from = 0, k = 0; from < n; from += STT_CHUNK_ROWS, k++) {
      const to = Math.min(n, from + STT_CHUNK_ROWS);
      const buf = buffers[k & 1]!;
      // The buffer written two chunks ago is this one: wait for the previous write before reuse.
      fillEpistemologyChunk(buf, halves, index, from, to);
      const bytes = new Uint8Array(buf.buffer, 0, (to - from) * 1024);
      hash.update(bytes);
      await pending;
      pending = fh.write(bytes, 0, bytes.length, position);
      position += bytes.length;
      progress?.('epistemology', to, n);
    }
    await pending;
    return { name: 'epistemology.npy', size: position, sha256: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}

/** Rows [from, to) into the start of `buf` (fillEpistemology addresses rows from 0). */
function fillEpistemologyChunk(buf: Int32Array, halves: Int32Array, index: Parameters<typeof fillEpistemology>[2], from: number, to: number): void {
  fillEpistemology(buf, halves.subarray(from, to), index, 0, to - from);
}
