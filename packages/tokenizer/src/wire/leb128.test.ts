import { describe, expect, it } from 'vitest';
import { InvalidTokenIdError } from '../errors.js';
import { leb128Encode, leb128Length } from './leb128.js';

function encode(id: number): number[] {
  const out = new Uint8Array(8);
  const n = leb128Encode(id, out, 1);
  expect(n).toBe(leb128Length(id));
  return [...out.subarray(1, 1 + n)];
}

describe('leb128Encode', () => {
  it('writes the unsigned LEB128 form, low group first', () => {
    expect(encode(0)).toEqual([0x00]);
    expect(encode(102)).toEqual([0x66]);
    expect(encode(127)).toEqual([0x7f]);
    expect(encode(128)).toEqual([0x80, 0x01]);
    expect(encode(1045)).toEqual([0x95, 0x08]);
    expect(encode(16_383)).toEqual([0xff, 0x7f]);
    expect(encode(16_384)).toEqual([0x80, 0x80, 0x01]);
    expect(encode(2 ** 31)).toEqual([0x80, 0x80, 0x80, 0x80, 0x08]);
    expect(encode(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('uses 1 to 5 bytes at the 7-bit boundaries', () => {
    const lengths = [0, 2 ** 7 - 1, 2 ** 7, 2 ** 14 - 1, 2 ** 14, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28].map(leb128Length);
    expect(lengths).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5]);
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN, Infinity])('refuses %s with InvalidTokenIdError', (id) => {
    expect(() => leb128Encode(id, new Uint8Array(8), 0)).toThrow(InvalidTokenIdError);
  });
});
