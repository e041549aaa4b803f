import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetCounts } from './checks.js';
import { ASSET_FILES, MANIFEST_FILE } from './files.js';

export const MANIFEST_FORMAT = 1;

/** What a build wrote: lets a later run trust the files without rehashing 820 MB. */
export interface Manifest {
  format: number;
  builtAt: string;
  counts: AssetCounts;
  files: Partial<Record<(typeof ASSET_FILES)[number], { size: number; sha256: string; mtimeMs: number }>>;
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
 * True when the manifest names all five files and each still has the size and mtime it had
 * when it was built (a cheap stamp: no hashing; `verifyAssets` rehashes).
 */
export function manifestMatches(dir: string): boolean {
  const m = readManifest(dir);
  if (!m) return false;
  for (const name of ASSET_FILES) {
    const f = m.files[name];
    if (!f) return false;
    try {
      const st = statSync(join(dir, name));
      if (st.size !== f.size || st.mtimeMs !== f.mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}
