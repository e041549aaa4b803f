export { RedisStore, redisKeysOf } from './RedisStore.js';
export type { PullReport, PushReport, RedisStoreOptions } from './RedisStore.js';
export { createMemoryClient, parseRedisUrl } from './client.js';
export type { MemoryClient, MemoryClientOptions } from './client.js';
export { RedisLogCorruptError, RedisUnavailableError, RedisUrlError, StoreRedisError, StoreRedisErrorCodes, type StoreRedisErrorCode } from './errors.js';
