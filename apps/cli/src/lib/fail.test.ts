import { GyroError } from '@gyro/information';
import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import { CliError, CliErrorCodes, UsageError } from './fail.js';

describe('error codes', () => {
  it('every code is listed in the README', () => {
    expect(undocumentedCodes(CliErrorCodes, new URL('../../README.md', import.meta.url))).toEqual([]);
  });

  it('UsageError is a typed GyroError', () => {
    const e = new UsageError('--jobs must be a positive integer');
    expect(e).toBeInstanceOf(CliError);
    expect(e).toBeInstanceOf(GyroError);
    expect(e.code).toBe('USAGE');
    expect(e.name).toBe('UsageError');
  });
});
