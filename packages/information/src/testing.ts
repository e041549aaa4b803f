import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildAssets } from './assets/build.js';
import { manifestMatches } from './assets/manifest.js';
import { loadInformationEngine, type EngineMode } from './engine/load.js';
import type { InformationEngine } from './engine/types.js';
import { buildOnce } from './testing/build-once.js';

/**
 * Test helpers shared by every package's suites: one set of meta-assets per checkout, built on
 * first use into `<repo>/.cache/assets` and reused by later runs (trusted by the build's
 * manifest stamp of sizes and mtimes; the information package's hash test rehashes them once
 * per run). Concurrent processes (vitest forks, other packages' suites) build it only once.
 */
export const TEST_ASSETS_DIR = join(process.env.GYRO_CACHE ?? join(workspaceRoot(process.cwd()), '.cache'), 'assets');

/**
 * The checkout this process runs in: the nearest folder above `from` holding
 * pnpm-workspace.yaml (else `from`). Found from the working directory, not from this file, so
 * the built dist/ and the sources agree (tests run with the package or repo as cwd).
 */
function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

let ready: Promise<string> | null = null;

export function testAssetsDir(): Promise<string> {
  ready ??= buildOnce(TEST_ASSETS_DIR, { isReady: manifestMatches, build: (tmp) => buildAssets(tmp) }).catch((err: unknown) => {
    ready = null;
    throw err;
  });
  return ready;
}

const engines = new Map<EngineMode, InformationEngine>();

/** The engine over the shared test assets, memoised per process and mode. */
export async function testEngine(mode: EngineMode = 'stt'): Promise<InformationEngine> {
  const dir = await testAssetsDir();
  let e = engines.get(mode);
  if (!e) {
    e = loadInformationEngine(dir, { mode });
    engines.set(mode, e);
  }
  return e;
}

export { buildOnce, type BuildOnceOptions } from './testing/build-once.js';
