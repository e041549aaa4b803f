import { createHash } from 'node:crypto';
import type { MemoryClient } from './client.js';

/**
 * The three Lua scripts a store runs. Each touches the log and the meta key of one store, both
 * under one hash tag, so they also run on Redis Cluster; each runs atomically, so a reader never
 * sees a meta value without the records appended with it.
 *
 * PULL (KEYS log, meta; ARGV from, maxBytes, ttlMs) → [logLength, meta | nil, bytes from `from`
 * (at most maxBytes; empty when `from` is at or past the end)]. Reading refreshes the expiry:
 * an agent is idle when nobody reads or writes it.
 */
const PULL = `
local len = redis.call('STRLEN', KEYS[1])
local from = tonumber(ARGV[1])
local chunk = ''
if from < len then
  local last = math.min(len, from + tonumber(ARGV[2])) - 1
  chunk = redis.call('GETRANGE', KEYS[1], from, last)
end
local ttl = tonumber(ARGV[3])
if ttl > 0 and len > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return {len, redis.call('GET', KEYS[2]), chunk}
`;

/**
 * PUSH (KEYS log, meta; ARGV records, metaTail, freshEpoch, ttlMs, setMeta) → [logLength, epoch].
 * APPENDs the records; the meta value is the log's 8-byte epoch followed by the caller's bytes.
 * A log without meta is new: it takes the caller's fresh epoch. `setMeta` '0' keeps the stored
 * tail (a plain commit must not overwrite another writer's session state).
 */
const PUSH = `
local len = redis.call('APPEND', KEYS[1], ARGV[1])
local epoch = redis.call('GETRANGE', KEYS[2], 0, 7)
local fresh = string.len(epoch) ~= 8
if fresh then epoch = ARGV[3] end
if fresh or ARGV[5] == '1' then redis.call('SET', KEYS[2], epoch .. ARGV[2]) end
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return {len, epoch}
`;

/**
 * COMPACT (KEYS log, meta; ARGV expectedLength, records, freshEpoch, ttlMs) → [1, newLength] or
 * [0, logLength]. Replaces the log with the compacted records under a fresh epoch (keeping the
 * caller's meta bytes), only when the log is still exactly `expectedLength` long: an append
 * since the caller caught up leaves everything as it was. Readers see the new epoch and read the
 * log anew; appends after this land on the compacted log.
 */
const COMPACT = `
local len = redis.call('STRLEN', KEYS[1])
if len ~= tonumber(ARGV[1]) then return {0, len} end
local meta = redis.call('GET', KEYS[2])
local tail = ''
if meta then tail = string.sub(meta, 9) end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
redis.call('SET', KEYS[2], ARGV[3] .. tail, 'KEEPTTL')
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return {1, string.len(ARGV[2])}
`;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const SCRIPTS = { pull: { body: PULL, sha: sha1(PULL) }, push: { body: PUSH, sha: sha1(PUSH) }, compact: { body: COMPACT, sha: sha1(COMPACT) } };

type Arg = string | Buffer;

/** EVALSHA, falling back to EVAL once when the server does not know the script yet. */
export async function runScript(client: MemoryClient, name: keyof typeof SCRIPTS, keys: string[], args: Arg[]): Promise<unknown[]> {
  const { body, sha } = SCRIPTS[name];
  const tail: Arg[] = [String(keys.length), ...keys, ...args];
  try {
    return (await client.sendCommand(['EVALSHA', sha, ...tail])) as unknown[];
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return (await client.sendCommand(['EVAL', body, ...tail])) as unknown[];
  }
}
