import { GyroError } from '@gyro/information';

/** Every error code this package throws; the README's error table lists each one (src/errors.test.ts checks). */
export const StoreRedisErrorCodes = {
  STORE_REDIS_URL: 'STORE_REDIS_URL',
  STORE_REDIS_UNAVAILABLE: 'STORE_REDIS_UNAVAILABLE',
  STORE_REDIS_CORRUPT: 'STORE_REDIS_CORRUPT',
} as const;
export type StoreRedisErrorCode = keyof typeof StoreRedisErrorCodes;

/** Base class of this package's errors. */
export class StoreRedisError extends GyroError<StoreRedisErrorCode> {}

/** A `--memory` URL that is not `redis://HOST[:PORT][/DB]`. */
export class RedisUrlError extends StoreRedisError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      'STORE_REDIS_URL',
      `the Redis URL ${JSON.stringify(url)} is not usable: ${reason}`,
      'write it as redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0',
    );
  }
}

/**
 * Redis did not answer (down, unreachable, timed out, refused the write). Nothing the failed call
 * was to write is lost: unsent records stay unsent and the next push retries them.
 */
export class RedisUnavailableError extends StoreRedisError {
  constructor(what: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'STORE_REDIS_UNAVAILABLE',
      `Redis is unavailable: cannot ${what}: ${reason}`,
      'check that the Redis server runs and is reachable; the client reconnects by itself',
      { cause },
    );
  }
}

/** The records read from Redis are not a phenotype log (a key written by something else). */
export class RedisLogCorruptError extends StoreRedisError {
  constructor(key: string, offset: number, detail: string) {
    super('STORE_REDIS_CORRUPT', `${key}: ${detail} at byte ${offset}`, 'the key does not hold gyro records; delete it or choose another prefix');
  }
}
