import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { AssetError } from '../errors.js';
import { HALF, KEEP_HALF, XFORM_HALF } from '../physics/constants.js';
import { ARCHETYPE_STATE } from '../physics/machine.js';
import { countProblems, type AssetCounts } from './checks.js';
import { ASSET_FILES, ASSET_LAYOUT, assetShape, type AssetFile } from './files.js';
import { HalfIndex } from './half-index.js';
import { buildOntology } from './ontology.js';
import { readManifest } from './manifest.js';
import { parseNpyHeader, readNpy } from './npy.js';

export interface VerifyOptions {
  /** Expected SHA-256 (and optionally sizes) per file, e.g. a golden assets.json. */
  expected?: { files: Partial<Record<string, string>>; file_sizes?: Partial<Record<string, number>> };
  onProgress?: (file: AssetFile, done: number, total: number) => void;
}

export interface VerifiedFile {
  name: AssetFile;
  size: number;
  sha256: string | null;
  /** The hash the build recorded in manifest.json (null without a manifest). */
  manifestSha256: string | null;
  expectedSha256: string | null;
  ok: boolean;
}

export interface VerifyReport {
  dir: string;
  ok: boolean;
  files: VerifiedFile[];
  counts: AssetCounts | null;
  /** One line per disagreement; empty when ok. */
  problems: string[];
  ms: number;
}

const CHUNK = 1 << 23;

/**
 * Recompute everything checkable about `dir`: each file's SHA-256 (against the build's manifest
 * and, if given, expected hashes), headers, the ontology itself (a fresh BFS from the archetype
 * must give exactly the stored keys) and the counts of SPEC §2 (states, BFS layers, archetype
 * index, orbits, vMax, θ values), that representatives and orbit sizes agree with each other, and that
 * every entry of the transition table equals the transition formula's answer. Never throws for
 * a bad asset: the report lists the problems.
 */
export function verifyAssets(dir: string, opts: VerifyOptions = {}): VerifyReport {
  const t0 = performance.now();
  const problems: string[] = [];
  const manifest = readManifest(dir);
  if (!manifest) problems.push(`${join(dir, 'manifest.json')} is missing or unreadable (assets not built by \`gyro assets build\`)`);
  let counts: AssetCounts | null = null;
  let halves: Int32Array | null = null;
  let index: HalfIndex | null = null;
  try {
    const tables = checkTables(dir, problems);
    if (tables) ({ counts, halves, index } = tables);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  if (counts) problems.push(...countProblems(counts).map((p) => `counts: ${p}`));

  const files: VerifiedFile[] = [];
  for (const name of ASSET_FILES) {
    const path = join(dir, name);
    const manifestSha256 = manifest?.files[name]?.sha256 ?? null;
    const expectedSha256 = opts.expected?.files[name] ?? null;
    const f: VerifiedFile = { name, size: 0, sha256: null, manifestSha256, expectedSha256, ok: false };
    files.push(f);
    try {
      const sttCheck = name === 'epistemology.npy' && halves && index ? { halves, index } : null;
      const r = hashFile(path, name, counts?.states, sttCheck, opts.onProgress);
      f.size = r.size;
      f.sha256 = r.sha256;
      if (r.sttMismatches > 0) problems.push(`${name}: ${r.sttMismatches} entries disagree with the transition formula (first at row ${r.firstMismatchRow})`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!problems.some((p) => p.startsWith(message))) problems.push(message);
      continue;
    }
    const before = problems.length;
    if (manifestSha256 && manifestSha256 !== f.sha256)
      problems.push(`${name}: SHA-256 ${f.sha256} differs from the build's ${manifestSha256} (file changed since it was built)`);
    if (expectedSha256 && expectedSha256 !== f.sha256) problems.push(`${name}: SHA-256 ${f.sha256}, expected ${expectedSha256}`);
    const expectedSize = opts.expected?.file_sizes?.[name];
    if (expectedSize !== undefined && expectedSize !== f.size) problems.push(`${name}: ${f.size} bytes, expected ${expectedSize}`);
    f.ok = problems.length === before;
  }
  return { dir, ok: problems.length === 0, files, counts, problems, ms: performance.now() - t0 };
}

function checkTables(dir: string, problems: string[]): { counts: AssetCounts; halves: Int32Array; index: HalfIndex } | null {
  const keys = readNpy(join(dir, 'ontology_keys.npy'), { dtype: '<u8' }).data as Float64Array;
  const n = keys.length;
  const halves = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const hi = Math.floor(keys[k]! / HALF);
    if (keys[k]! - hi * HALF !== hi) {
      problems.push(`ontology_keys.npy: 0x${keys[k]!.toString(16)} at ${k} is not a state of this physics`);
      return null;
    }
    halves[k] = hi;
  }
  const index = HalfIndex.fromSortedHalves(halves);
  if (!index) {
    problems.push('ontology_keys.npy: keys are not sorted ascending without repeats');
    return null;
  }
  // The ontology is recomputed (a second of BFS): the keys must be exactly the reachable states.
  const bfs = buildOntology(ARCHETYPE_STATE);
  let differ = bfs.halves.length === n ? -1 : Math.min(n, bfs.halves.length);
  for (let k = 0; k < n && differ < 0; k++) if (bfs.halves[k] !== halves[k]) differ = k;
  if (differ >= 0)
    problems.push(
      `ontology_keys.npy: differs from the states reachable from the archetype (first at index ${differ}; ${bfs.halves.length} reachable, ${n} in the file)`,
    );
  const read = (name: AssetFile) => readNpy(join(dir, name), { dtype: ASSET_LAYOUT[name].dtype, shape: assetShape(name, n) }).data;
  const theta = read('theta.npy') as Float32Array;
  const rep = read('phenomenology_map.npy') as Int32Array;
  const sizes = read('orbit_sizes.npy') as Uint32Array;
  const members = new Uint32Array(n);
  let orbits = 0;
  let vMax = 0;
  for (let k = 0; k < n; k++) {
    const r = rep[k]!;
    if (r < 0 || r > k || rep[r] !== r) {
      problems.push(`phenomenology_map.npy: state ${k} has representative ${r}, which is not the smallest index of an orbit`);
      return null;
    }
    if (members[r] === 0) orbits++;
    members[r] = members[r]! + 1;
  }
  for (let k = 0; k < n; k++) {
    if (sizes[k] !== members[rep[k]!]) {
      problems.push(`orbit_sizes.npy: state ${k} has orbit size ${sizes[k]}, its orbit has ${members[rep[k]!]} states`);
      return null;
    }
    if (sizes[k]! > vMax) vMax = sizes[k]!;
  }
  const archetypeIndex = index.indexOf(ARCHETYPE_STATE % HALF);
  const aHalf = ARCHETYPE_STATE % HALF;
  for (let k = 0; k < n; k++) {
    let x = halves[k]! ^ aHalf;
    let d = 0;
    for (; x !== 0; x &= x - 1) d += 2;
    if (theta[k] !== Math.fround(Math.acos(1 - (2 * d) / 48))) {
      problems.push(`theta.npy: θ of state ${k} is ${theta[k]}, expected ${Math.fround(Math.acos(1 - (2 * d) / 48))}`);
      return null;
    }
  }
  const counts: AssetCounts = {
    states: n,
    archetypeIndex,
    layers: bfs.layers,
    orbits,
    vMax,
    archetypeOrbitSize: archetypeIndex >= 0 ? sizes[archetypeIndex]! : 0,
    thetaDistinct: new Set(theta).size,
  };
  return { counts, halves, index };
}

/** SHA-256 of a file read in 8 MiB chunks; for the transition table also check every entry. */
function hashFile(
  path: string,
  name: AssetFile,
  states: number | undefined,
  stt: { halves: Int32Array; index: HalfIndex } | null,
  onProgress?: VerifyOptions['onProgress'],
): { size: number; sha256: string; sttMismatches: number; firstMismatchRow: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new AssetError('ASSET_MISSING', path, `${path} does not exist`, undefined, { cause });
  }
  try {
    const size = fstatSync(fd).size;
    const buf = new Uint8Array(CHUNK);
    const hash = createHash('sha256');
    let pos = 0;
    let dataStart = -1;
    let mismatches = 0;
    let firstRow = -1;
    let carry = 0; // bytes of a partial row kept at the start of buf (header is 128 bytes, rows 1 KiB)
    while (pos < size) {
      const got = readSync(fd, buf, carry, Math.min(CHUNK - carry, size - pos), pos);
      if (got === 0) break;
      hash.update(buf.subarray(carry, carry + got));
      if (pos === 0) {
        const h = parseNpyHeader(buf.subarray(0, got), path);
        const want = ASSET_LAYOUT[name].dtype;
        if (h.dtype !== want) throw new AssetError('NPY_BAD_DTYPE', path, `${name}: dtype ${h.dtype}, expected ${want}`);
        if (states !== undefined && h.shape.join(',') !== assetShape(name, states).join(','))
          throw new AssetError('NPY_BAD_SHAPE', path, `${name}: shape (${h.shape.join(', ')}), expected (${assetShape(name, states).join(', ')})`);
      }
      pos += got;
      if (!stt) {
        onProgress?.(name, pos, size);
        continue;
      }
      let start = 0;
      const end = carry + got;
      if (dataStart < 0) {
        const h = parseNpyHeader(buf.subarray(0, end), path);
        dataStart = h.offset;
        start = h.offset;
      }
      // Whole rows in [start, end): check them; keep the tail for the next read.
      const rowBytes = 1024;
      const rows = Math.floor((end - start) / rowBytes);
      const firstRowIndex = (pos - end + start - dataStart) / rowBytes;
      const view = new Int32Array(buf.buffer, start, rows * 256);
      for (let r = 0; r < rows; r++) {
        const k = firstRowIndex + r;
        const h = stt.halves[k];
        if (h === undefined) {
          mismatches++;
          continue;
        }
        for (let i = 0; i < 256; i++) {
          if (view[r * 256 + i] !== stt.index.indexOf((h ^ XFORM_HALF[i]!) & KEEP_HALF[i]!)) {
            if (firstRow < 0) firstRow = k;
            mismatches++;
          }
        }
      }
      const used = start + rows * rowBytes;
      carry = end - used;
      buf.copyWithin(0, used, end);
      onProgress?.(name, pos, size);
    }
    if (stt && carry !== 0) mismatches++;
    return { size, sha256: hash.digest('hex'), sttMismatches: mismatches, firstMismatchRow: firstRow };
  } finally {
    closeSync(fd);
  }
}
