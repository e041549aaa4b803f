import { InvalidArgumentError } from '../errors.js';
import { describe, expect, it } from 'vitest';
import { leb128Encode } from '@gyro/tokenizer/internals';
import { TOKEN_MALFORMED, TOKEN_OVERSIZE, TOKEN_PENDING, TokenAssembler } from './token-assembler.js';

function introns(id: number): number[] {
  const out = new Uint8Array(5);
  return [...out.subarray(0, leb128Encode(id, out, 0))];
}

describe('TokenAssembler', () => {
  it('decodes LEB128 ids of every length and reports the state before the first intron', () => {
    const a = new TokenAssembler();
    for (const id of [0, 1, 127, 128, 102, 16383, 16384, 30521, 2 ** 21, 2 ** 28 + 5, 2 ** 32 - 1]) {
      const bytes = introns(id);
      let r = TOKEN_PENDING;
      bytes.forEach((b, k) => {
        r = a.push(b, 1000 + k);
        if (k < bytes.length - 1) expect(r).toBe(TOKEN_PENDING);
      });
      expect(r).toBe(id);
      expect(a.completedPreState).toBe(1000);
      expect(a.length).toBe(0);
    }
  });

  it('drops a token over 5 bytes, or with an id of 2^32 or more, as malformed', () => {
    const a = new TokenAssembler();
    const six = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    for (const b of six.slice(0, 5)) expect(a.push(b, 7)).toBe(TOKEN_PENDING);
    expect(a.push(six[5]!, 7)).toBe(TOKEN_MALFORMED);
    // 2^32 needs a fifth group of 0x10.
    for (const b of [0x80, 0x80, 0x80, 0x80]) a.push(b, 9);
    expect(a.push(0x10, 9)).toBe(TOKEN_MALFORMED);
    // The next token is clean again.
    expect(a.push(0x05, 11)).toBe(5);
    expect(a.completedPreState).toBe(11);
  });

  it('discards an unterminated buffer when it reaches maxBytes, then starts afresh', () => {
    const a = new TokenAssembler(1024);
    for (let i = 0; i < 1023; i++) expect(a.push(0xff, i)).toBe(TOKEN_PENDING);
    expect(a.push(0xff, 1023)).toBe(TOKEN_OVERSIZE);
    expect(a.length).toBe(0);
    expect(a.push(0x81, 5000)).toBe(TOKEN_PENDING);
    expect(a.push(0x01, 5001)).toBe(129);
    expect(a.completedPreState).toBe(5000);
  });

  it('refuses a buffer limit that could not hold a token', () => {
    expect(() => new TokenAssembler(5)).toThrow(InvalidArgumentError);
  });
});
