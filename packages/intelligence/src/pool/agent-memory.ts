import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OrbitStore, type Addressing, type PhenotypeStore } from '@gyro/store';
import { RECORD_SIZE } from '@gyro/store/internals';

export interface FileAgentMemoryOptions {
  /** Records an agent buffers before writing (Preferences.writeThreshold). */
  writeThreshold: number;
  /** Worker thread ids of this process that died: the locks they left are taken over. */
  deadThreads?: ReadonlySet<number> | undefined;
  /** Compact a log once it holds this many times more records than live entries (default 2). */
  compactRatio?: number | undefined;
  /** ... and at least this many records (default 4096: small logs are not worth a rewrite). */
  compactMinRecords?: number | undefined;
}

/**
 * The default private memory of an AgentPool's agents: `<root>/<agentId>/knowledge.bin`, one
 * OrbitStore per agent (the layout `gyro chat` uses). Opening, compacting and removing an
 * agent's files happen here only (AgentPoolOptions.openPrivateStore replaces the opening, e.g.
 * for Redis).
 */
export class FileAgentMemory {
  constructor(
    private readonly root: string,
    private readonly options: FileAgentMemoryOptions,
  ) {}

  dirOf(agentId: string): string {
    return join(this.root, agentId);
  }

  open(agentId: string, addressing: Addressing): OrbitStore {
    const dir = this.dirOf(agentId);
    const created = !existsSync(dir);
    try {
      if (created) mkdirSync(dir, { recursive: true });
      return OrbitStore.open(join(dir, 'knowledge.bin'), { writeThreshold: this.options.writeThreshold, addressing, deadThreads: this.options.deadThreads });
    } catch (err) {
      // Out of descriptors, disk full, read-only: no empty folder is left to look like an agent.
      if (created) rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Delete everything the agent remembers (its store must be closed). */
  remove(agentId: string): void {
    rmSync(this.dirOf(agentId), { recursive: true, force: true });
  }

  /** Rewrite an agent's log once superseded records dominate it; true when it did. */
  compactIfWorthIt(store: PhenotypeStore): boolean {
    if (!(store instanceof OrbitStore) || store.readOnly) return false;
    // One stat, not stats() (which walks every state): the log's records against the live keys.
    const totalRecords = Math.floor(statSync(store.path).size / RECORD_SIZE);
    if (totalRecords < (this.options.compactMinRecords ?? 4096) || totalRecords < (this.options.compactRatio ?? 2) * store.size) return false;
    try {
      store.rewrite();
      return true;
    } catch {
      // Optional: the old log is untouched (a full disk fails the rewrite, not the turn whose
      // records are already written); the next turn's commit reports a disk that stays full.
      return false;
    }
  }
}
