import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Open-file limits. Node raises the soft limit to the hard one itself at start on Linux; where it
 * is still lower (another runtime, an embedding), and since Node has no setrlimit, it is raised with
 * util-linux's `prlimit --pid` on this process (Linux; unprivileged processes may raise their
 * soft limit up to the hard one), then read back from /proc/self/limits. Elsewhere, or when
 * prlimit is missing, the limit is left as it is and the caps below are computed from it.
 */
export interface FileLimits {
  soft: number;
  hard: number;
  /** The soft limit was raised at start (from `before`). */
  raisedFrom: number | undefined;
}

/** Max open files of this process, or undefined where /proc is not available. */
export function readFileLimits(): { soft: number; hard: number } | undefined {
  try {
    const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!line) return undefined;
    const n = (v: string) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
    return { soft: n(line[1]!), hard: n(line[2]!) };
  } catch {
    return undefined;
  }
}

/** Raise the soft limit to the hard one where possible; returns the limits in force afterwards. */
export function raiseFileLimit(): FileLimits | undefined {
  const before = readFileLimits();
  if (!before) return undefined;
  if (before.soft >= before.hard) return { ...before, raisedFrom: undefined };
  const target = Number.isFinite(before.hard) ? String(before.hard) : 'unlimited';
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${target}`], { stdio: 'ignore', timeout: 2000 });
  } catch {
    // prlimit missing or not permitted: keep the soft limit, the caps below respect it
  }
  const after = readFileLimits() ?? before;
  return { ...after, raisedFrom: after.soft > before.soft ? before.soft : undefined };
}

/** Descriptors the process needs besides agents and client sockets (Node, libuv, workers, the public store, logs). */
export const BASE_FILES = 64;

/**
 * Caps that keep the process under `soft` open files: client connections get at most half of
 * what is left after BASE_FILES, agents (one descriptor each while resident, a few more while
 * one opens) the rest, split over the workers. Never above what the settings ask for.
 */
export function fileCaps(
  soft: number,
  workers: number,
  maxAgentsPerWorker: number,
  maxConnections: number,
): { maxAgentsPerWorker: number; maxConnections: number } {
  if (!Number.isFinite(soft)) return { maxAgentsPerWorker, maxConnections };
  const spare = Math.max(0, soft - BASE_FILES);
  const connections = Math.max(1, Math.min(maxConnections, Math.floor(spare / 2)));
  // Each worker may be opening one agent (log, lock, sidecar, marker) while its residents stay open.
  const perWorker = Math.floor((spare - connections) / workers) - 4;
  return { maxAgentsPerWorker: Math.max(3, Math.min(maxAgentsPerWorker, perWorker)), maxConnections: connections };
}
