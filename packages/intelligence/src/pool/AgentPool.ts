import { existsSync } from 'node:fs';
import type { InformationEngine } from '@gyro/information';
import { OrbitStore, OverlayView, ReadOnlyView, type Addressing, type PhenotypeStore } from '@gyro/store';
import type { GyroTokenizer } from '@gyro/tokenizer';
import { GyroSI } from '../agent/GyroSI.js';
import { ClosedError, InvalidArgumentError, UnknownAgentError } from '../errors.js';
import { resolvePreferences, type PreferenceOverrides, type Preferences } from '../preferences.js';
import { FileAgentMemory } from './agent-memory.js';
import { expired, hashId, victim, type Resident } from './eviction.js';

export const SHARD_COUNT = 16;
export const TRIAD = ['user', 'system', 'assistant'] as const;
/** Agent ids become directory names, so they are limited to a safe alphabet. */
const AGENT_ID = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

export interface AgentPoolOptions {
  info: InformationEngine;
  /** The shared public knowledge, opened read-only once for every agent. */
  publicStorePath: string;
  /** Each agent's private store is `<privateRoot>/<agentId>/knowledge.bin`. */
  privateRoot: string;
  preferences?: PreferenceOverrides | undefined;
  /** Ids that may be created on first use (default: user, system, assistant). */
  allowedIds?: Iterable<string> | undefined;
  /** Create any unknown id on first use (default false: unknown ids need createAgent). */
  allowAutoCreate?: boolean | undefined;
  tokenizer?: GyroTokenizer | undefined;
  /** Base seed: each agent's sampler is seeded from it and the agent id. */
  seed?: number | undefined;
  /**
   * The addressing expected of the public store (default: whatever it records). A public store
   * of the other addressing is refused (AddressingMismatchError); private stores always take
   * the public store's.
   */
  addressing?: Addressing | undefined;
  /**
   * Opens an agent's private store (default: the OrbitStore `<privateRoot>/<agentId>/knowledge.bin`).
   * The adapter passes Redis-backed stores here (`--memory`); the store must use `addressing`.
   */
  openPrivateStore?: ((agentId: string, addressing: Addressing) => PhenotypeStore) | undefined;
  /** Worker threads of this process that died: their stores' locks are taken over (file stores). */
  deadThreads?: ReadonlySet<number> | undefined;
}

/** A resident agent and the private store it writes (for commit and compaction). */
interface ResidentAgent extends Resident<GyroSI> {
  store: PhenotypeStore;
}

/** The shard (0..15) an agent id lives in. */
export function shardIndexOf(agentId: string): number {
  return hashId(agentId) & (SHARD_COUNT - 1);
}

/**
 * Agents in 16 shards (SPEC §6.4), at most `maxAgentsInMemory` resident (each shard holds its
 * share), evicted by `lru`, `lfu` or `ttl`. Each agent learns into its private store over the
 * one shared public store: OverlayView(ReadOnlyView(public), private), keys already in the
 * public store's addressing (canonical: representatives; state: exact states).
 * Evicted agents are flushed and closed; asking for one again reopens its private store.
 */
export class AgentPool {
  readonly preferences: Preferences;
  readonly info: InformationEngine;
  private readonly shards: Array<Map<string, ResidentAgent>> = [];
  private readonly shardCapacity: number;
  private readonly allowed: Set<string>;
  /** Ids created in this pool (explicitly or allowed): they may be reopened after eviction. */
  private readonly known = new Set<string>();
  private readonly publicBase: OrbitStore;
  private readonly publicView: PhenotypeStore;
  /** The default private stores: OrbitStores under privateRoot (unless openPrivateStore is given). */
  private readonly files: FileAgentMemory;
  private closed = false;
  /** Agents in use by an unfinished turn (id → count): never evicted (see pin). */
  private readonly pinned = new Map<string, number>();
  /** Agents evicted so far (for metrics). */
  evictions = 0;

  constructor(private readonly options: AgentPoolOptions) {
    this.info = options.info;
    this.preferences = resolvePreferences(options.preferences);
    this.shardCapacity = Math.max(1, Math.floor(this.preferences.maxAgentsInMemory / SHARD_COUNT));
    for (let i = 0; i < SHARD_COUNT; i++) this.shards.push(new Map());
    this.allowed = new Set(options.allowedIds ?? TRIAD);
    this.files = new FileAgentMemory(options.privateRoot, { writeThreshold: this.preferences.writeThreshold, deadThreads: options.deadThreads });
    // A pool may start before any public knowledge exists: it then starts from an empty file.
    const addressing = options.addressing === undefined ? {} : { addressing: options.addressing };
    if (!existsSync(options.publicStorePath)) OrbitStore.open(options.publicStorePath, addressing).close();
    this.publicBase = OrbitStore.open(options.publicStorePath, { readOnly: true, ...addressing });
    this.publicView = new ReadOnlyView(this.publicBase);
  }

  /** The resident or reopened agent; unknown ids throw UnknownAgentError unless allowed. */
  get(agentId: string): GyroSI {
    const resident = this.touch(agentId);
    if (resident) return resident;
    if (!this.known.has(agentId) && !this.allowed.has(agentId) && !this.options.allowAutoCreate) throw new UnknownAgentError(agentId);
    return this.load(agentId);
  }

  /** Create (or reopen) an agent whatever the allowed set says. */
  createAgent(agentId: string): GyroSI {
    return this.touch(agentId) ?? this.load(agentId);
  }

  /** Make sure user, system and assistant exist. */
  ensureTriad(): void {
    for (const id of TRIAD) this.createAgent(id);
  }

  has(agentId: string): boolean {
    return this.shardOf(agentId).has(agentId);
  }

  /** Ids of the resident agents. */
  activeAgents(): string[] {
    const out: string[] = [];
    for (const shard of this.shards) out.push(...shard.keys());
    return out;
  }

  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.size;
    return n;
  }

  /**
   * Keep an agent resident until as many unpin calls: a turn that awaits between its steps
   * (agent memory in Redis) pins its agents so other turns' loads never close them meanwhile
   * (a shard over capacity then evicts others, or grows for as long as all are pinned).
   */
  pin(agentId: string): void {
    this.pinned.set(agentId, (this.pinned.get(agentId) ?? 0) + 1);
  }

  unpin(agentId: string): void {
    const n = this.pinned.get(agentId) ?? 0;
    if (n <= 1) this.pinned.delete(agentId);
    else this.pinned.set(agentId, n - 1);
  }

  /** Flush, close and forget one resident agent. */
  remove(agentId: string): boolean {
    const shard = this.shardOf(agentId);
    const r = shard.get(agentId);
    if (!r) return false;
    shard.delete(agentId);
    r.value.close();
    return true;
  }

  /** Remove what an agent remembers: closed if resident, then its store deleted. */
  forget(agentId: string): void {
    if (this.closed) throw new ClosedError('agent pool');
    const shard = this.shardOf(agentId);
    const r = shard.get(agentId);
    if (r) {
      shard.delete(agentId);
      try {
        r.value.close();
      } catch {
        // its memory is being deleted: a failed final write loses nothing anyone keeps
      }
    }
    if (!this.options.openPrivateStore) this.files.remove(agentId);
  }

  /** Write pending records of a resident agent and compact its log once superseded records dominate. */
  commit(agentId: string): { compacted: boolean } {
    const r = this.shardOf(agentId).get(agentId);
    if (!r) return { compacted: false };
    r.store.commit();
    return { compacted: this.files.compactIfWorthIt(r.store) };
  }

  /** Evict agents idle for longer than the TTL (the ttl policy also does this on every access). */
  sweepExpired(now = performance.now()): number {
    const ttlMs = this.preferences.agentTtlMinutes * 60_000;
    let n = 0;
    for (const shard of this.shards) {
      for (const id of expired(shard, ttlMs, now)) {
        if (this.pinned.has(id)) continue;
        this.evict(shard, id);
        n++;
      }
    }
    return n;
  }

  /** Make every resident agent's learning durable. */
  flushAll(): void {
    for (const shard of this.shards) for (const r of shard.values()) r.value.flush();
  }

  /** Flush and close every agent, then the public store. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    let first: unknown;
    for (const shard of this.shards) {
      for (const r of shard.values()) {
        try {
          r.value.close();
        } catch (e) {
          first ??= e;
        }
      }
      shard.clear();
    }
    this.publicBase.close();
    if (first !== undefined) throw first;
  }

  private shardOf(agentId: string): Map<string, ResidentAgent> {
    return this.shards[shardIndexOf(agentId)]!;
  }

  private touch(agentId: string): GyroSI | undefined {
    if (this.closed) throw new ClosedError('agent pool');
    const shard = this.shardOf(agentId);
    const now = performance.now();
    if (this.preferences.agentEvictionPolicy === 'ttl') {
      for (const id of expired(shard, this.preferences.agentTtlMinutes * 60_000, now)) if (id !== agentId && !this.pinned.has(id)) this.evict(shard, id);
    }
    const r = shard.get(agentId);
    if (!r) return undefined;
    r.hits++;
    r.lastAccess = now;
    shard.delete(agentId);
    shard.set(agentId, r);
    return r.value;
  }

  private load(agentId: string): GyroSI {
    if (typeof agentId !== 'string' || !AGENT_ID.test(agentId)) {
      throw new InvalidArgumentError(`agent id ${JSON.stringify(agentId)} is not valid`, 'use 1-128 letters, digits, ".", "_" or "-"');
    }
    const shard = this.shardOf(agentId);
    while (shard.size >= this.shardCapacity) {
      const id = victim(shard, this.preferences.agentEvictionPolicy, this.pinned);
      if (id === undefined) break;
      this.evict(shard, id);
    }
    const privateStore = this.openPrivate(agentId);
    const seed = this.options.seed === undefined ? undefined : (this.options.seed ^ hashId(agentId)) >>> 0;
    const agent = new GyroSI(this.info, new OverlayView(this.publicView, privateStore), {
      agentId,
      preferences: this.preferences,
      tokenizer: this.options.tokenizer,
      seed,
      ownedStores: [privateStore],
    });
    this.known.add(agentId);
    shard.set(agentId, { value: agent, hits: 1, lastAccess: performance.now(), store: privateStore });
    return agent;
  }

  private openPrivate(agentId: string): PhenotypeStore {
    const addressing = this.publicBase.addressing;
    if (this.options.openPrivateStore) return this.options.openPrivateStore(agentId, addressing);
    return this.files.open(agentId, addressing);
  }

  private evict(shard: Map<string, ResidentAgent>, agentId: string): void {
    const r = shard.get(agentId);
    if (!r) return;
    shard.delete(agentId);
    this.evictions++;
    r.value.close();
  }
}
