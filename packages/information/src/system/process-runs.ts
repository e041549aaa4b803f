/**
 * Whether a process with this pid runs on this host: signal 0 checks without sending anything.
 * EPERM means it runs under another user; ESRCH (or anything else) that it does not. Used by
 * the lock files that take over a dead owner's lock (the store's writer lock, the test assets'
 * build lock). A pid can be reused after its process ends, so a true answer is "probably".
 */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
