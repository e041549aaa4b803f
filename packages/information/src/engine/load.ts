import { join } from 'node:path';
import { AssetError, InvalidArgumentError } from '../errors.js';
import { HALF } from '../physics/constants.js';
import { ARCHETYPE_STATE } from '../physics/machine.js';
import { ASSET_LAYOUT, assetShape, type AssetFile } from '../assets/files.js';
import { HalfIndex } from '../assets/half-index.js';
import { readNpy } from '../assets/npy.js';
import { SttEngine, SttFreeEngine, type EngineTables } from './engine.js';
import type { InformationEngine } from './types.js';

export type EngineMode = 'stt' | 'stt-free';

/** What the loader returns: the interface plus two conveniences of both modes. */
export interface LoadedEngine extends InformationEngine {
  /** The 24-bit half of each state (both halves of an ontology state are equal). */
  readonly halves: Int32Array;
  /** Index of a state, or -1 when the ontology does not hold it (no throw). */
  tryIndexOf(state: number): number;
}

export interface LoadOptions {
  /** 'stt' (default) reads the 808 MB transition table; 'stt-free' computes transitions. */
  mode?: EngineMode;
}

function read(dir: string, name: AssetFile, states: number | undefined, shared = false) {
  const { dtype } = ASSET_LAYOUT[name];
  return readNpy(join(dir, name), { dtype, ...(states === undefined ? {} : { shape: assetShape(name, states) }), shared }).data;
}

/**
 * Load the meta-assets of `dir` into an engine. Synchronous (awaiting the result is harmless).
 * Every file is checked for dtype and shape against the ontology's size, and the ontology for
 * being sorted, distinct and made of states with equal halves (see HalfIndex); anything else is
 * an AssetError naming the file, with the hint to run `gyro assets build`.
 */
export function loadInformationEngine(dir: string, opts: LoadOptions = {}): LoadedEngine {
  const mode = opts.mode ?? 'stt';
  if (mode !== 'stt' && mode !== 'stt-free') throw new InvalidArgumentError(`unknown engine mode ${String(mode)}; use 'stt' or 'stt-free'`);
  const keysPath = join(dir, 'ontology_keys.npy');
  const keys = read(dir, 'ontology_keys.npy', undefined) as Float64Array;
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
  const orbitSizes = read(dir, 'orbit_sizes.npy', n) as Uint32Array;
  let vMax = 0;
  for (let k = 0; k < n; k++) if (orbitSizes[k]! > vMax) vMax = orbitSizes[k]!;
  const tables: EngineTables = {
    keys,
    halves,
    index,
    archetypeIndex,
    vMax,
    orbitSizes,
    thetaTable: read(dir, 'theta.npy', n) as Float32Array,
    phenomenology: read(dir, 'phenomenology_map.npy', n) as Int32Array,
  };
  if (mode === 'stt-free') return new SttFreeEngine(tables);
  return new SttEngine(tables, read(dir, 'epistemology.npy', n, true) as Int32Array);
}
