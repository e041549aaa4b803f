import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A latched failure is re-tested at most this often (by /ready). */
const PROBE_INTERVAL_MS = 1000;
/** The probe writes this much: more than a turn's records and a sidecar's header. */
const PROBE_BYTES = 64 * 1024;

/**
 * Whether agent memory can be written, as the turns report it: a turn that fails to store its
 * records latches the failure (/ready answers 503 with it) and the next turn that stores clears
 * it. /ready also re-tests a latched failure itself, since a load balancer sends no turn to a
 * server whose /ready fails: readiness must come back when space does.
 */
export class StorageHealth {
  /** Why agent memory cannot be written, or undefined. */
  failure: string | undefined;
  private probe: Promise<void> | undefined;
  private probedAt = 0;

  /** `dir`: the agents folder; null when agent memory is not on this disk (Redis). */
  constructor(private readonly dir: string | null) {}

  failed(errno: string | undefined, message: string): void {
    this.failure = `agent memory cannot be written (${errno ?? 'unknown'}): ${message}`;
  }

  stored(): void {
    this.failure = undefined;
  }

  /** While a failure is latched, try a write of a turn's size in the folder; success clears it. */
  recheck(): Promise<void> {
    if (this.failure === undefined || this.dir === null) return Promise.resolve();
    if (this.probe) return this.probe;
    if (performance.now() - this.probedAt < PROBE_INTERVAL_MS) return Promise.resolve();
    this.probedAt = performance.now();
    const failure = this.failure;
    this.probe = probeWritable(this.dir, PROBE_BYTES)
      .then(() => {
        if (this.failure === failure) this.failure = undefined;
      })
      .catch(() => {}) // still failing: the latch (and the real failure's message) stays
      .finally(() => {
        this.probe = undefined;
      });
    return this.probe;
  }
}

/**
 * Write `bytes` to a scratch file in `dir`, flush it to the disk and remove it: resolves when
 * the folder can take a write of that size now (the disk has room and is writable), rejects
 * with the file system's error otherwise. The file is removed either way.
 */
export async function probeWritable(dir: string, bytes: number): Promise<void> {
  const path = join(dir, `.probe-${process.pid}-${Date.now()}`);
  try {
    const file = await open(path, 'w');
    try {
      const { bytesWritten } = await file.write(Buffer.alloc(bytes));
      if (bytesWritten !== bytes) throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`);
      await file.sync();
    } finally {
      await file.close();
    }
  } finally {
    await rm(path, { force: true });
  }
}
