import { join } from 'node:path';
import { AssetError, InvalidArgumentError } from '../errors.js';
import { HALF } from '../physics/constants.js';
import { ARCHETYPE_STATE } from '../physics/machine.js';
import { ASSET_LAYOUT, assetShape, type AssetFile } from '../assets/files.js';
import { lanesDigest, newLanes } from '../assets/content-hash.js';
import { HalfIndex } from '../assets/half-index.js';
import { type Manifest, readManifest } from '../assets/manifest.js';
import { readNpy } from '../assets/npy.js';
import { SttEngine, SttFreeEngine, type EngineTables } from './engine.js';
import type { InformationEngine } from './types.js';

export type EngineMode = 'stt' | 'stt-free';

/** What the loader returns: the interface plus a convenience of both modes. */
export interface LoadedEngine extends InformationEngine {
  /** Index of a state, or -1 when the ontology does not hold it (no throw). */
  tryIndexOf(state: number): number;
}

export interface LoadOptions {
  /** 'stt' (default) reads the 808 MB transition table; 'stt-free' computes transitions. */
  mode?: EngineMode;
}

/**
 * Read one asset and check its contents against the content hash its build recorded (when the
 * folder has a current manifest): a file changed since the build, even with its size and mtime
 * kept, is refused with AssetError ASSET_CORRUPT. The hash is fed while the file is read, a
 * few MiB at a time while they are in cache (see readNpy's contentLanes).
 */
function read(dir: string, name: AssetFile, states: number | undefined, manifest: Manifest | null, shared = false) {
  const { dtype } = ASSET_LAYOUT[name];
  const path = join(dir, name);
  const recorded = manifest?.files[name]?.contentHash;
  const lanes = recorded === undefined ? undefined : newLanes();
  const shape = states === undefined ? {} : { shape: assetShape(name, states) };
  const data = readNpy(path, { dtype, ...shape, shared, ...(lanes ? { contentLanes: lanes } : {}) }).data;
  if (lanes) {
    const actual = lanesDigest(lanes);
    if (actual !== recorded) {
      throw new AssetError('ASSET_CORRUPT', path, `${path}: its contents changed since it was built (content hash ${actual}, the build recorded ${recorded})`);
    }
  }
  return data;
}

/**
 * Load the meta-assets of `dir` into an engine. Synchronous (awaiting the result is harmless).
 * Every file is checked for dtype and shape against the ontology's size, and the ontology for
 * being sorted, distinct and made of states with equal halves (see HalfIndex), and each file's
 * contents against the content hash in the build's manifest.json (a folder without a current
 * manifest is loaded unchecked; ensureAssets rebuilds such a folder first); anything else is an
 * AssetError naming the file, with the hint to run `gyro assets build`.
 */
export function loadInformationEngine(dir: string, opts: LoadOptions = {}): LoadedEngine {
  const mode = opts.mode ?? 'stt';
  if (mode !== 'stt' && mode !== 'stt-free') throw new InvalidArgumentError(`unknown engine mode ${String(mode)}; use 'stt' or 'stt-free'`);
  const keysPath = join(dir, 'ontology_keys.npy');
  const manifest = readManifest(dir); // null without one (or of an older format): nothing to check against
  const keys = read(dir, 'ontology_keys.npy', undefined, manifest) as Float64Array;
  const n = keys.length;
  const halves = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const s = keys[k]!;
    const hi = Math.floor(s / HALF);
    const lo = s - hi * HALF;
    if (hi !== lo) throw new AssetError('ASSET_CORRUPT', keysPath, `${keysPath} holds 0x${s.toString(16)} at ${k}, not a state of this physics`);
    halves[k] = lo;
  }
  const index = HalfIndex.fromSortedHalves(halves);
  if (!index) throw new AssetError('ASSET_CORRUPT', keysPath, `${keysPath} is not sorted ascending without repeats`);
  const archetypeIndex = index.indexOf(ARCHETYPE_STATE % HALF);
  if (archetypeIndex < 0) throw new AssetError('ASSET_CORRUPT', keysPath, `${keysPath} does not contain the archetype`);
  const orbitSizes = read(dir, 'orbit_sizes.npy', n, manifest) as Uint32Array;
  let vMax = 0;
  for (let k = 0; k < n; k++) if (orbitSizes[k]! > vMax) vMax = orbitSizes[k]!;
  const tables: EngineTables = {
    keys,
    halves,
    index,
    archetypeIndex,
    vMax,
    orbitSizes,
    thetaTable: read(dir, 'theta.npy', n, manifest) as Float32Array,
    phenomenology: read(dir, 'phenomenology_map.npy', n, manifest) as Int32Array,
  };
  if (mode === 'stt-free') return new SttFreeEngine(tables);
  return new SttEngine(tables, read(dir, 'epistemology.npy', n, manifest, true) as Int32Array);
}
