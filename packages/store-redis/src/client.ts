import { createClient, RESP_TYPES } from '@redis/client';
import { RedisUrlError } from './errors.js';

export interface MemoryClientOptions {
  /** A command that gets no reply within this many ms fails (default 2000). */
  commandTimeoutMs?: number;
  /** A connection attempt that takes longer fails (default 2000). */
  connectTimeoutMs?: number;
  /** Longest wait between reconnection attempts (default 1000 ms). */
  maxReconnectDelayMs?: number;
}

/**
 * A node-redis client set up for a store: replies as Buffers (records are bytes), commands fail
 * at once while the connection is down (no offline queue: a caller answers "unavailable" instead
 * of hanging) or after `commandTimeoutMs`, and the client reconnects by itself with a capped
 * backoff, forever, so a Redis that comes back is used again without a restart.
 */
export function createMemoryClient(url: string, options: MemoryClientOptions = {}) {
  parseRedisUrl(url);
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs ?? 2000, typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelay),
    },
  });
}

export type MemoryClient = ReturnType<typeof createMemoryClient>;

/** `redis://[user:password@]HOST[:PORT][/DB]` (or `rediss://`), checked before any connection. */
export function parseRedisUrl(url: string): { host: string; port: number; db: number; tls: boolean } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUrlError(url, 'it is not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RedisUrlError(url, `the scheme must be redis: or rediss:, not ${u.protocol}`);
  if (u.hostname === '') throw new RedisUrlError(url, 'it names no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0 || !/^\d*$/.test(path)) throw new RedisUrlError(url, `the database "${path}" is not a number`);
  return { host: u.hostname, port, db, tls: u.protocol === 'rediss:' };
}
