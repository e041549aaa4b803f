import type { NpyDtype } from './npy.js';

/** The five meta-assets of SPEC §2, in build order. */
export const ASSET_FILES = ['ontology_keys.npy', 'epistemology.npy', 'theta.npy', 'phenomenology_map.npy', 'orbit_sizes.npy'] as const;
export type AssetFile = (typeof ASSET_FILES)[number];

/** dtype and number of columns (1 = a vector) of each asset. */
export const ASSET_LAYOUT: Record<AssetFile, { dtype: NpyDtype; columns: number }> = {
  'ontology_keys.npy': { dtype: '<u8', columns: 1 },
  'epistemology.npy': { dtype: '<i4', columns: 256 },
  'theta.npy': { dtype: '<f4', columns: 1 },
  'phenomenology_map.npy': { dtype: '<i4', columns: 1 },
  'orbit_sizes.npy': { dtype: '<u4', columns: 1 },
};

export function assetShape(file: AssetFile, states: number): number[] {
  const { columns } = ASSET_LAYOUT[file];
  return columns === 1 ? [states] : [states, columns];
}

/** Written last by a build: sizes, mtimes and SHA-256 of the files, so a later check is cheap. */
export const MANIFEST_FILE = 'manifest.json';
