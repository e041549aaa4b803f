/**
 * Agent memory in Redis (`--memory redis://…`): each agent's private store is a RedisStore and
 * its session state (SPEC §6 engine state: see encodeSession) rides in the store's meta bytes.
 * A turn pulls its agents first (records other replicas appended, and the newest session), runs
 * on the in-memory index as usual, then pushes every record it wrote together with the session,
 * atomically per agent, before the reply is released. So any replica continues where the last
 * acknowledged turn ended, whichever replica ran it.
 */
import { encodeSession, restoreSession, type GyroSI } from '@gyro/intelligence';
import { OverlayView, type Addressing } from '@gyro/store';
import { RedisStore, createMemoryClient, type MemoryClient } from '@gyro/store-redis';

export interface RedisMemoryOptions {
  url: string;
  /** Keys of an agent expire this long after its last turn. */
  ttlMs: number;
  /** Failed commands and connections report after this long (default 2000 ms). */
  commandTimeoutMs?: number;
}

export class RedisMemory {
  private readonly client: MemoryClient;
  /** The session bytes each store last read or wrote: an unchanged agent is not written again. */
  private readonly sessions = new WeakMap<RedisStore, Buffer>();

  constructor(private readonly options: RedisMemoryOptions) {
    this.client = createMemoryClient(options.url, { commandTimeoutMs: options.commandTimeoutMs ?? 2000, connectTimeoutMs: 2000, maxReconnectDelayMs: 1000 });
    // Failures reach the calls that fail (503 memory_unavailable); the client reconnects by itself.
    this.client.on('error', () => undefined);
    // Not awaited: a worker starts (and answers 503) while Redis is away, and recovers without a restart.
    this.client.connect().catch(() => undefined);
  }

  /** The pool's private-store opener: nothing is read until the agent's first turn pulls. */
  open = (agentId: string, addressing: Addressing): RedisStore => {
    const options = { ttlMs: this.options.ttlMs, autoPush: false, ...(addressing === undefined ? {} : { addressing }) };
    return RedisStore.lazy(this.client, agentId, options);
  };

  /** Catch the agents up with Redis: new records, then the newest session state. */
  async pull(agents: GyroSI[]): Promise<void> {
    await Promise.all(
      agents.map(async (agent) => {
        const store = storeOf(agent);
        const { meta } = await store.pull();
        if (meta && meta.length > 0) {
          restoreSession(agent.engine, meta);
          this.sessions.set(store, Buffer.from(meta));
        }
      }),
    );
  }

  /** Write every record the agents made and their session state; resolves once Redis has them. */
  async push(agents: GyroSI[]): Promise<void> {
    await Promise.all(
      agents.map(async (agent) => {
        const store = storeOf(agent);
        const session = Buffer.from(encodeSession(agent.engine));
        if (store.unsentRecords === 0 && this.sessions.get(store)?.equals(session)) return;
        await store.push(session);
        this.sessions.set(store, session);
        // Once superseded records dominate, the log is rewritten with its live keys, after the
        // reply (the records are already acknowledged); a failure leaves the log as it was.
        store.compactIfWorthIt().catch(() => undefined);
      }),
    );
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close().catch(() => undefined);
  }
}

function storeOf(agent: GyroSI): RedisStore {
  const own = agent.store instanceof OverlayView ? agent.store.privateStore : agent.store;
  if (!(own instanceof RedisStore)) throw new Error(`agent ${agent.agentId} does not keep its memory in Redis`);
  return own;
}
