import { describe, expect, it } from 'vitest';
import { idsToBytes } from './codec.js';
import { SEP_BYTES, tokenBytes, tokenIntrons } from './token-bytes.js';

describe('tokenBytes / tokenIntrons', () => {
  it('are the masked and unmasked LEB128 forms', () => {
    for (const id of [0, 1, 102, 127, 128, 1045, 30_521, 32_767, 32_768, 2 ** 21, 2 ** 32 - 1]) {
      expect(tokenBytes(id)).toEqual(idsToBytes([id]));
      expect(tokenIntrons(id)).toEqual(tokenBytes(id).map((b) => b ^ 0xaa));
    }
    expect([...SEP_BYTES]).toEqual([0xcc]);
    expect([...tokenIntrons(102)]).toEqual([0x66]);
  });

  it('return the same cached array on every call (no allocation per token)', () => {
    for (const id of [0, 5, 102, 30_521, 100_000]) {
      expect(tokenBytes(id)).toBe(tokenBytes(id));
      expect(tokenIntrons(id)).toBe(tokenIntrons(id));
    }
  });

  it('share one buffer across the whole BERT vocabulary', () => {
    const buffer = tokenBytes(0).buffer;
    let others = 0;
    for (let id = 0; id < 30_522; id++) if (tokenBytes(id).buffer !== buffer) others++;
    expect(others).toBe(0);
  });

  it('refuse what is not a token id', () => {
    expect(() => tokenBytes(-1)).toThrow(/not a token id/);
    expect(() => tokenIntrons(2 ** 32)).toThrow(/not a token id/);
  });
});
