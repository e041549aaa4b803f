import { GyroError } from '@gyro/information';
import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import { StoreError, StoreErrorCodes, StoreIOError } from './errors.js';

describe('error codes', () => {
  it('every code is listed in the README', () => {
    expect(undocumentedCodes(StoreErrorCodes, new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('StoreIOError is a StoreError and carries the fs error as its cause', () => {
    const cause = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const e = new StoreIOError('/tmp/k.bin', 'append to', cause);
    expect(e).toBeInstanceOf(StoreError);
    expect(e).toBeInstanceOf(GyroError);
    expect(e.code).toBe('STORE_IO');
    expect(e.cause).toBe(cause);
    expect(e.message).toContain('no space left on device');
  });
});
