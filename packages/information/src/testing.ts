import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '@gyro/tooling/golden';
import { buildAssets } from './assets/build.js';
import { manifestMatches } from './assets/manifest.js';
import { loadInformationEngine, type EngineMode } from './engine/load.js';
import type { InformationEngine } from './engine/types.js';

/**
 * Test helpers shared by every package's suites: one set of meta-assets per machine, built on
 * first use into `<repo>/.cache/assets` and reused by later runs (trusted by the build's
 * manifest stamp; the information package's hash test rehashes them once per run).
 *
 * Several processes may ask at once (vitest forks, other packages' suites): the first takes a
 * lock file (O_EXCL) and builds into a private folder that is renamed into place when complete;
 * the others wait for the lock to go. A lock left by a dead process is taken over.
 */
export const TEST_ASSETS_DIR = join(cacheDir, 'assets');
const LOCK = join(cacheDir, 'assets.lock');
const WAIT_MS = 200;
const STALE_MS = 10 * 60_000;

let ready: Promise<string> | null = null;

export function testAssetsDir(): Promise<string> {
  ready ??= prepare().catch((err) => {
    ready = null;
    throw err;
  });
  return ready;
}

async function prepare(): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  for (;;) {
    if (manifestMatches(TEST_ASSETS_DIR)) return TEST_ASSETS_DIR;
    if (takeLock()) {
      try {
        if (manifestMatches(TEST_ASSETS_DIR)) return TEST_ASSETS_DIR;
        const tmp = `${TEST_ASSETS_DIR}.tmp-${process.pid}`;
        rmSync(tmp, { recursive: true, force: true });
        await buildAssets(tmp);
        const old = `${TEST_ASSETS_DIR}.old-${process.pid}`;
        if (existsSync(TEST_ASSETS_DIR)) renameSync(TEST_ASSETS_DIR, old);
        renameSync(tmp, TEST_ASSETS_DIR);
        rmSync(old, { recursive: true, force: true });
        return TEST_ASSETS_DIR;
      } finally {
        rmSync(LOCK, { force: true });
      }
    }
    if (Date.now() - started > STALE_MS) throw new Error(`timed out waiting for ${LOCK} (another process building test assets)`);
    await new Promise((r) => setTimeout(r, WAIT_MS));
  }
}

/** Create the lock file exclusively; clear it first if its owner process is gone. */
function takeLock(): boolean {
  try {
    const fd = openSync(LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const owner = Number(readFileSafe(LOCK));
  if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(LOCK, { force: true });
  return false;
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
