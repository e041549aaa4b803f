import { buildAssets, type BuildOptions, type BuildReport } from './build.js';
import { manifestMatches } from './manifest.js';

export interface EnsureResult {
  /** True when this call built the assets; false when the ones present were kept. */
  built: boolean;
  report?: BuildReport;
}

/**
 * Make sure `dir` holds the five assets: cheap when a previous build's manifest still matches
 * every file's size and mtime, a full build otherwise (missing, partial or changed files).
 */
export async function ensureAssets(dir: string, opts: BuildOptions = {}): Promise<EnsureResult> {
  if (manifestMatches(dir)) return { built: false };
  return { built: true, report: await buildAssets(dir, opts) };
}
