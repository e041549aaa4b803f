import { GyroError } from '@gyro/information';
import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import { IntelligenceError, IntelligenceErrorCodes, InvalidPreferenceError } from './errors.js';
import { resolvePreferences } from './preferences.js';

describe('error codes', () => {
  it('every code is listed in the README', () => {
    expect(undocumentedCodes(IntelligenceErrorCodes, new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('resolvePreferences refuses a bad value with a typed error naming the preference', () => {
    let err: unknown;
    try {
      resolvePreferences({ maxReplyTokens: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidPreferenceError);
    expect(err).toBeInstanceOf(IntelligenceError);
    expect(err).toBeInstanceOf(GyroError);
    expect((err as InvalidPreferenceError).code).toBe('INVALID_PREFERENCE');
    expect((err as InvalidPreferenceError).key).toBe('maxReplyTokens');
  });
});
