import type { EvictionPolicy } from '../preferences.js';

/** Book-keeping of one resident agent. */
export interface Resident<T> {
  value: T;
  /** Accesses since it was loaded (LFU). */
  hits: number;
  /** performance.now() of the last access (LRU order is the Map order; TTL uses this). */
  lastAccess: number;
}

/**
 * The id to evict from a full shard. `shard` is kept in least-recently-used-first order (every
 * access moves an entry to the end), so LRU and TTL take the first entry; LFU takes the fewest
 * hits, the least recently used among equals. Pinned ids (agents a turn is using) are never chosen.
 */
export function victim<T>(shard: Map<string, Resident<T>>, policy: EvictionPolicy, pinned?: ReadonlyMap<string, number>): string | undefined {
  if (policy !== 'lfu') {
    for (const id of shard.keys()) if (!pinned?.has(id)) return id;
    return undefined;
  }
  let best: string | undefined;
  let fewest = Infinity;
  for (const [id, r] of shard) {
    if (r.hits < fewest && !pinned?.has(id)) {
      fewest = r.hits;
      best = id;
    }
  }
  return best;
}

/** Ids in `shard` idle for longer than `ttlMs` at time `now` (oldest first). */
export function expired<T>(shard: Map<string, Resident<T>>, ttlMs: number, now: number): string[] {
  const out: string[] = [];
  for (const [id, r] of shard) {
    if (now - r.lastAccess > ttlMs) out.push(id);
    else break; // the rest were used more recently
  }
  return out;
}

/** FNV-1a of a string, for the shard index. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
