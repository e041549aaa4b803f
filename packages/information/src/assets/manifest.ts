import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetCounts } from './checks.js';
import { ASSET_FILES, MANIFEST_FILE } from './files.js';

/** 2: each file's contentHash (checked at every load). A manifest of another format means: rebuild. */
export const MANIFEST_FORMAT = 2;

/** What the build recorded of one file. */
export interface ManifestFile {
  size: number;
  sha256: string;
  mtimeMs: number;
  /** 64-bit hash of the array's contents (content-hash.ts): what every load checks. */
  contentHash: string;
}

/**
 * What a build wrote: size and mtime let a later run skip a rebuild cheaply, the content hash
 * lets every load check what it read (see loadInformationEngine), SHA-256 is for `verifyAssets`.
 */
export interface Manifest {
  format: number;
  builtAt: string;
  counts: AssetCounts;
  files: Partial<Record<(typeof ASSET_FILES)[number], ManifestFile>>;
}

export function readManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m && m.format === MANIFEST_FORMAT && typeof m.files === 'object' ? m : null;
  } catch {
    return null;
  }
}

/**
 * True when the manifest names all five files with their content hashes and each still has the
 * size and mtime it had when it was built (a cheap stamp: no hashing here; every load checks the
 * content hash of what it reads, `verifyAssets` rehashes everything).
 */
export function manifestMatches(dir: string): boolean {
  const m = readManifest(dir);
  if (!m) return false;
  for (const name of ASSET_FILES) {
    const f = m.files[name];
    if (!f || typeof f.contentHash !== 'string') return false;
    try {
      const st = statSync(join(dir, name));
      if (st.size !== f.size || st.mtimeMs !== f.mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}
