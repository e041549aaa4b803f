import { spawn } from 'node:child_process';

/**
 * Huge pages for STT mode. Loading the 808 MB state table means touching ~197,000 fresh 4 KiB
 * pages, and on some machines (VMs with nested paging, sandboxed kernels) each first touch costs
 * 10–20 µs: 3 s before a byte is read. Transparent huge pages cut the faults 512-fold and make
 * every random `next()` cheaper too, but where THP is `madvise`-only (a common default) Node never
 * asks for them. glibc does, for the memory it maps, when the process starts with this tunable.
 * A tunable is read only at start-up, so a process that wants it must be started with it: the
 * long-running STT-mode entry points (`gyro serve`, the adapter's `start`) relaunch themselves.
 * Process management, so it lives here with them (`@gyro/adapter/huge-pages`, no server loaded).
 */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/** Set `GYRO_HUGE_PAGES=0` to keep a process as it was started. */
export const HUGE_PAGES_OPT_OUT = 'GYRO_HUGE_PAGES';

/** True when this process was started with glibc's huge-page tunable (any hugetlb setting). */
export function hugePagesRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.GLIBC_TUNABLES ?? '').split(':').some((t) => t.startsWith('glibc.malloc.hugetlb='));
}

/** Signals a terminal or a supervisor sends that the relaunched process must see. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Run this same command (node flags, script and arguments) again as a child with the huge-page
 * tunable added, and let this process become a thin parent: it shares stdin/stdout/stderr,
 * passes SIGINT, SIGTERM and SIGHUP on, and ends as the child ends (same exit code, or the same
 * signal). Returns true when it did so — the caller must then do nothing else — and false when
 * there is nothing to do: not Linux, the tunable already set, or `GYRO_HUGE_PAGES=0`.
 *
 * A terminal's Ctrl-C reaches both processes (they share a process group) and the forwarded copy
 * follows, so the child may see SIGINT twice: its handler must treat a repeat as the same request.
 */
export function relaunchWithHugePages(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux' || env[HUGE_PAGES_OPT_OUT] === '0' || hugePagesRequested(env)) return false;
  const tunables = env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...env, GLIBC_TUNABLES: tunables },
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  child.on('error', (err) => {
    process.stderr.write(`gyro: could not relaunch with huge pages (${err.message}); set ${HUGE_PAGES_OPT_OUT}=0 to run without\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const [s, handler] of handlers) process.off(s, handler);
    if (signal)
      process.kill(process.pid, signal); // die the way the child died
    else process.exit(code ?? 1);
  });
  return true;
}
