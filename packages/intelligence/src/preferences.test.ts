import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, resolvePreferences } from './preferences.js';

describe('preferences', () => {
  it('fills defaults and keeps overrides', () => {
    const p = resolvePreferences({ scanLimit: 64, maxWallTimeMs: undefined });
    expect(p.scanLimit).toBe(64);
    expect(p.maxWallTimeMs).toBe(DEFAULT_PREFERENCES.maxWallTimeMs);
    expect(p.candidatesPerState).toBe(100);
  });

  it('rejects values that cannot work', () => {
    expect(() => resolvePreferences({ scanLimit: 0 })).toThrow(/scanLimit/);
    expect(() => resolvePreferences({ maxWallTimeMs: -1 })).toThrow(/maxWallTimeMs/);
    expect(() => resolvePreferences({ minReplyTokens: 50, maxReplyTokens: 10 })).toThrow(/minReplyTokens/);
    expect(() => resolvePreferences({ agentEvictionPolicy: 'fifo' as never })).toThrow(/agentEvictionPolicy/);
  });
});
