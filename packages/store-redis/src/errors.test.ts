import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import { RedisUnavailableError, StoreRedisError, StoreRedisErrorCodes } from './errors.js';

describe('error codes', () => {
  it('every code is listed in the README', () => {
    expect(undocumentedCodes(StoreRedisErrorCodes, new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('RedisUnavailableError keeps the client error as its cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const e = new RedisUnavailableError('read gyro:{a}:log', cause);
    expect(e).toBeInstanceOf(StoreRedisError);
    expect(e.code).toBe('STORE_REDIS_UNAVAILABLE');
    expect(e.cause).toBe(cause);
  });
});
