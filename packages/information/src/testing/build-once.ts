import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { processRuns } from '../system/process-runs.js';

export interface BuildOnceOptions {
  /** True when `dir` already holds a finished build. */
  isReady: (dir: string) => boolean;
  /** Build into this (fresh, private) folder. */
  build: (tmpDir: string) => Promise<unknown>;
  /** Give up waiting for another process after this long. */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Produce `dir` exactly once across concurrent processes: the first to create `dir + '.lock'`
 * (O_EXCL) builds into a private `dir.tmp-<pid>` and renames it into place when complete, so
 * no reader ever sees half a build; the others poll until `isReady(dir)`. A lock whose owner
 * process is gone (crash, kill) is taken over.
 */
export async function buildOnce(dir: string, opts: BuildOnceOptions): Promise<string> {
  const lock = `${dir}.lock`;
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 200;
  mkdirSync(dirname(dir), { recursive: true });
  const started = Date.now();
  for (;;) {
    if (opts.isReady(dir)) return dir;
    if (takeLock(lock)) {
      try {
        if (opts.isReady(dir)) return dir;
        const tmp = `${dir}.tmp-${process.pid}`;
        rmSync(tmp, { recursive: true, force: true });
        try {
          await opts.build(tmp);
        } catch (err) {
          rmSync(tmp, { recursive: true, force: true });
          throw err;
        }
        const old = `${dir}.old-${process.pid}`;
        if (existsSync(dir)) renameSync(dir, old);
        renameSync(tmp, dir);
        rmSync(old, { recursive: true, force: true });
        return dir;
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${lock} (another process is building ${dir})`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function takeLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let owner = 0;
  try {
    owner = Number(readFileSync(lock, 'utf8'));
  } catch {
    return false; // removed meanwhile: try again on the next poll
  }
  // An empty lock is one being written right now; only a named, dead owner is stale.
  if (Number.isInteger(owner) && owner > 0 && !processRuns(owner)) rmSync(lock, { force: true });
  return false;
}
