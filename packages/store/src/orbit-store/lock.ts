import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { processRuns } from '@gyro/information/internals';
import { StoreIOError, StoreLockedError } from '../errors.js';

/**
 * The single-writer lock: `<store>.lock`, created exclusively (O_EXCL), holding
 * `pid hostname thread`. A lock whose process no longer runs on this host is stale and taken over.
 * A lock of this very process is stale only when its thread is one the caller knows has died
 * (`deadThreads`, worker thread ids): a server that replaces a crashed worker thread reopens
 * that worker's stores, and the pid alone cannot tell a dead thread's lock from a live one's.
 * Readers never lock.
 */
export function lockPathOf(storePath: string): string {
  return `${storePath}.lock`;
}

interface Holder {
  pid: number | undefined;
  host: string | undefined;
  /** Worker thread id (0: the main thread); undefined in locks written before threads were recorded. */
  thread: number | undefined;
}

function holderOf(lockPath: string): Holder {
  try {
    const [pid, host, thread] = readFileSync(lockPath, 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    const t = thread === undefined ? Number.NaN : Number(thread);
    return { pid: Number.isInteger(n) && n > 0 ? n : undefined, host, thread: Number.isInteger(t) && t >= 0 ? t : undefined };
  } catch {
    return { pid: undefined, host: undefined, thread: undefined };
  }
}

/** Whether a lock's holder is gone: another process that no longer runs here, or a dead thread of this one. */
function isStale({ pid, host, thread }: Holder, deadThreads: ReadonlySet<number> | undefined): boolean {
  if (pid === undefined || host !== hostname()) return false;
  if (pid !== process.pid) return !processRuns(pid);
  return thread !== undefined && thread !== threadId && deadThreads?.has(thread) === true;
}

/** Take the lock or throw StoreLockedError (held) / StoreIOError (cannot create it). */
export function acquireLock(storePath: string, deadThreads?: ReadonlySet<number>): string {
  const lockPath = lockPathOf(storePath);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid} ${hostname()} ${threadId}\n`);
      } finally {
        closeSync(fd);
      }
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreIOError(lockPath, 'create the lock file', err);
    }
    const holder = holderOf(lockPath);
    if (!isStale(holder, deadThreads) || attempt > 0) throw new StoreLockedError(storePath, holder.pid, lockPath);
    try {
      unlinkSync(lockPath);
    } catch {
      // another process took it over first; the next attempt reports it
    }
  }
  throw new StoreLockedError(storePath, undefined, lockPath);
}

/** Remove the lock if it is still ours (this process, this thread). */
export function releaseLock(lockPath: string): void {
  const { pid, thread } = holderOf(lockPath);
  if (pid !== process.pid || (thread !== undefined && thread !== threadId)) return;
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
  const holder = holderOf(lockPath);
  return { status: isStale(holder, undefined) ? 'stale' : 'held', pid: holder.pid, lockPath };
}
