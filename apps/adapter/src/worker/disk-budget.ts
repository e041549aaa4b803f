import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The conversation an agent folder belongs to: `user-alice` → `alice`; the pool's own triad → ''. */
export function conversationKeyOf(agentId: string): string {
  const m = /^(?:user|system|assistant)(?:-(.+))?$/.exec(agentId);
  return m ? (m[1] ?? '') : agentId;
}

/** Bytes a folder's files take on disk (allocated blocks, at least their length). */
async function folderBytes(dir: string): Promise<{ bytes: number; mtimeMs: number }> {
  let bytes = 0;
  let mtimeMs = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const st = await stat(join(dir, name)).catch(() => undefined);
    if (!st) continue;
    bytes += Math.max(st.size, st.blocks * 512);
    mtimeMs = Math.max(mtimeMs, st.mtimeMs);
  }
  return { bytes, mtimeMs };
}

export interface DiskBudgetHooks {
  /** A conversation has a turn queued or running (its agents are in use). */
  busy(key: string): boolean;
  /** Remove the conversation's agents (their worker closes and deletes them after any queued turn). */
  forget(key: string, agentIds: string[]): void;
  log(line: string): void;
}

/**
 * A disk budget for agent memory (`agentsMaxBytes`). After turns, the agents folder is measured
 * (one scan at a time, off the engine threads); when it is over the budget, whole conversations
 * (a user's triad) are forgotten, least recently used first (by this server's last turn, else
 * the folder's modification time), never one with a turn queued or running and never the pool's
 * own triad, until the folder is back under 90 % of the budget.
 */
export class DiskBudget {
  private readonly lastUsed = new Map<string, number>();
  private running = false;
  private again = false;
  /** Conversations forgotten so far (gyro_agents_forgotten_total). */
  forgotten = 0;
  /** Bytes of the agents folder at the last scan (gyro_agents_bytes). */
  bytes = 0;

  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
    private readonly hooks: DiskBudgetHooks,
  ) {}

  /** A turn of conversation `key` finished: remember when, and check the budget soon. */
  touched(key: string): void {
    this.lastUsed.delete(key);
    this.lastUsed.set(key, Date.now());
    this.check();
  }

  check(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.enforce()
      .catch((err: Error) => this.hooks.log(`disk budget: ${err.message}`))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.check();
        }
      });
  }

  private async enforce(): Promise<void> {
    const groups = new Map<string, { agents: string[]; bytes: number; last: number }>();
    let total = 0;
    for (const id of await readdir(this.root).catch(() => [] as string[])) {
      if (id.startsWith('.')) continue; // not an agent (the storage probe's scratch file, say)
      const { bytes, mtimeMs } = await folderBytes(join(this.root, id));
      const key = conversationKeyOf(id);
      const g = groups.get(key) ?? { agents: [], bytes: 0, last: this.lastUsed.get(key) ?? mtimeMs };
      g.agents.push(id);
      g.bytes += bytes;
      groups.set(key, g);
      total += bytes;
    }
    this.bytes = total;
    if (total <= this.maxBytes) return;
    const target = Math.floor(this.maxBytes * 0.9);
    const oldest = [...groups.entries()].filter(([key]) => key !== '').sort((a, b) => a[1].last - b[1].last);
    for (const [key, g] of oldest) {
      if (total <= target) break;
      if (this.hooks.busy(key)) continue;
      this.hooks.forget(key, g.agents);
      this.lastUsed.delete(key);
      this.forgotten++;
      total -= g.bytes;
    }
    this.bytes = total;
  }
}
