export { RedisStore, redisKeysOf, COMPACT_MIN_RECORDS, COMPACT_RATIO } from './RedisStore.js';
export type { CompactReport, PullReport, PushReport, RedisStoreOptions } from './RedisStore.js';
export { createMemoryClient, parseRedisUrl } from './client.js';
export type { MemoryClient, MemoryClientOptions } from './client.js';
export { RedisLogCorruptError, RedisUnavailableError, RedisUrlError, StoreRedisError, StoreRedisErrorCodes, type StoreRedisErrorCode } from './errors.js';
