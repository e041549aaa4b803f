/**
 * Open writable stores are flushed (fsync) and unlocked when the process ends: on 'exit'
 * (normal end, process.exit) and on SIGINT, SIGTERM and SIGHUP. The signal handlers exist only
 * while a writable store is open. When ours is the only handler for a signal, we re-raise it
 * after flushing so the process still dies as it would have; otherwise the application's own
 * handler decides. Signal handlers do not keep the event loop alive.
 */
export interface ExitFlushable {
  flushOnExit(): void;
}

const open = new Set<ExitFlushable>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function flushAll(): void {
  for (const store of [...open]) {
    try {
      store.flushOnExit();
    } catch {
      // nothing more can be done while exiting; the log keeps every record already written
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  flushAll();
  if (process.listenerCount(signal) === 1) {
    detach();
    process.kill(process.pid, signal);
  }
}

function attach(): void {
  process.on('exit', flushAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function detach(): void {
  process.off('exit', flushAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

export function registerForExit(store: ExitFlushable): void {
  if (open.size === 0) attach();
  open.add(store);
}

export function unregisterForExit(store: ExitFlushable): void {
  if (!open.delete(store)) return;
  if (open.size === 0) detach();
}
