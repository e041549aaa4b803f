import { GyroError } from '@gyro/information';
import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import { InvalidTokenIdError, TokenizerError, TokenizerErrorCodes } from './errors.js';

describe('error codes', () => {
  it('every code is listed in the README', () => {
    expect(undocumentedCodes(TokenizerErrorCodes, new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('errors are TokenizerErrors and GyroErrors', () => {
    const e = new InvalidTokenIdError(-1);
    expect(e).toBeInstanceOf(TokenizerError);
    expect(e).toBeInstanceOf(GyroError);
    expect(e.code).toBe('INVALID_TOKEN_ID');
  });
});
