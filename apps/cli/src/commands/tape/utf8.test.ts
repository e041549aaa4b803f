import { describe, expect, it } from 'vitest';
import { Utf8Stream, completeLength } from './utf8.js';

/** Reproducible pseudo-random numbers (xorshift32). */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('Utf8Stream', () => {
  it('finds where the last character is complete', () => {
    const bytes = (...b: number[]) => Uint8Array.from(b);
    expect(completeLength(bytes(0x61, 0xc3))).toBe(1);
    expect(completeLength(bytes(0x61, 0xc3, 0xa9))).toBe(3);
    expect(completeLength(bytes(0xe2, 0x82))).toBe(0);
    expect(completeLength(bytes(0xf0, 0x9f, 0x98))).toBe(0);
    expect(completeLength(bytes(0xf0, 0x9f, 0x98, 0x80))).toBe(4);
    expect(completeLength(bytes(0x80, 0x80, 0x80, 0x80))).toBe(4);
    expect(completeLength(bytes(0x61, 0xff))).toBe(2);
  });

  it('decodes any stream in any pieces exactly like TextDecoder on the whole', () => {
    const rand = rng(99);
    const sample = new TextEncoder().encode('aé€😀 ß東\n');
    for (let trial = 0; trial < 500; trial++) {
      const n = Math.floor(rand() * 120);
      const bytes = Uint8Array.from({ length: n }, () => (rand() < 0.7 ? sample[Math.floor(rand() * sample.length)]! : Math.floor(rand() * 256)));
      const stream = new Utf8Stream();
      let text = '';
      for (let at = 0; at < n; ) {
        const k = Math.floor(rand() * 6);
        text += stream.write(bytes.subarray(at, at + k));
        at += k;
      }
      text += stream.end();
      expect(text).toBe(new TextDecoder().decode(bytes));
    }
  });
});
