import { describe, expect, it } from 'vitest';
import { idsToBytes } from '@gyro/tokenizer';
import { resolvePreferences } from '../preferences.js';
import { countTokens, endsSentence, replyTarget } from './stop-policy.js';

describe('stop policy pieces', () => {
  it('target = clamp(floor(1.2·promptTokens + 2), 8, 96)', () => {
    const p = resolvePreferences();
    expect(replyTarget(1, p)).toBe(8);
    expect(replyTarget(5, p)).toBe(8);
    expect(replyTarget(10, p)).toBe(14);
    expect(replyTarget(1000, p)).toBe(96);
    expect(replyTarget(10, resolvePreferences({ replyLenRatio: 2, maxReplyTokens: 20 }))).toBe(20);
  });

  it('recognises sentence ends', () => {
    for (const t of ['a.', 'b!', 'c?', 'd…', 'e\n']) expect(endsSentence(t)).toBe(true);
    for (const t of ['', 'a', 'a. ', 'a,']) expect(endsSentence(t)).toBe(false);
  });

  it('counts tokens of a masked stream by their terminating bytes', () => {
    expect(countTokens(idsToBytes([101, 2023, 30000, 102]))).toBe(4);
    expect(countTokens(new Uint8Array())).toBe(0);
  });
});
