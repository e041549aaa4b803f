import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { StoreIOError, StoreLockedError } from '../errors.js';

/**
 * The single-writer lock: `<store>.lock`, created exclusively (O_EXCL), holding
 * `pid hostname`. A lock whose process no longer runs on this host is stale and taken over.
 * Readers never lock.
 */
export function lockPathOf(storePath: string): string {
  return `${storePath}.lock`;
}

function holderOf(lockPath: string): { pid: number | undefined; host: string | undefined } {
  try {
    const [pid, host] = readFileSync(lockPath, 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    return { pid: Number.isInteger(n) && n > 0 ? n : undefined, host };
  } catch {
    return { pid: undefined, host: undefined };
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock or throw StoreLockedError (held) / StoreIOError (cannot create it). */
export function acquireLock(storePath: string): string {
  const lockPath = lockPathOf(storePath);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid} ${hostname()}\n`);
      } finally {
        closeSync(fd);
      }
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreIOError(lockPath, 'create the lock file', err);
    }
    const { pid, host } = holderOf(lockPath);
    const stale = pid !== undefined && pid !== process.pid && host === hostname() && !processRuns(pid);
    if (!stale || attempt > 0) throw new StoreLockedError(storePath, pid, lockPath);
    try {
      unlinkSync(lockPath);
    } catch {
      // another process took it over first; the next attempt reports it
    }
  }
  throw new StoreLockedError(storePath, undefined, lockPath);
}

/** Remove the lock if it is still ours. */
export function releaseLock(lockPath: string): void {
  if (holderOf(lockPath).pid !== process.pid) return;
  try {
    unlinkSync(lockPath);
  } catch {
    // already gone
  }
}

/** Whether a writer holds the store: 'stale' when the lock's process no longer runs here. */
export function lockStatus(storePath: string): { status: 'none' | 'held' | 'stale'; pid: number | undefined; lockPath: string } {
  const lockPath = lockPathOf(storePath);
  if (!existsSync(lockPath)) return { status: 'none', pid: undefined, lockPath };
  const { pid, host } = holderOf(lockPath);
  const stale = pid !== undefined && host === hostname() && pid !== process.pid && !processRuns(pid);
  return { status: stale ? 'stale' : 'held', pid, lockPath };
}
