import { beforeAll, describe, expect, it } from 'vitest';
import { IndexOutOfRangeError, UnknownStateError } from '../errors.js';
import { BROADCAST, HALF, KEEP_HALF, XFORM, XFORM_HALF } from '../physics/constants.js';
import { stepHalf, transition } from '../physics/transition.js';
import { testEngine } from '../testing.js';
import { informationEngineFromShared, shareInformationEngine } from './shared.js';
import type { InformationEngine } from './types.js';

let stt: InformationEngine;
let free: InformationEngine;
beforeAll(async () => {
  stt = await testEngine('stt');
  free = await testEngine('stt-free');
});

/** xorshift32, so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('the half walk', () => {
  it('its two tables are the low 24 bits of XFORM and of ~BROADCAST', () => {
    for (let i = 0; i < 256; i++) {
      expect(XFORM_HALF[i]).toBe(XFORM[i]! % HALF);
      expect(XFORM[i]).toBe(XFORM_HALF[i]! * (HALF + 1));
      expect(KEEP_HALF[i]).toBe(~(BROADCAST[i]! % HALF) & 0xffffff);
    }
  });

  it('equals transition() on the full state, and next(), for random states and introns', () => {
    for (const e of [stt, free]) {
      const r = rng(0x9e3779b9);
      for (let n = 0; n < 20_000; n++) {
        const k = r() % e.size;
        const i = r() & 0xff;
        const h = e.halfOf(k);
        expect(h * (HALF + 1)).toBe(e.stateAt(k));
        const h2 = stepHalf(h, i);
        const full = transition(e.stateAt(k), i);
        if (h2 * (HALF + 1) !== full || e.indexOfHalf(h2) !== e.next(k, i) || e.halves[k] !== h) {
          throw new Error(`${e.mode}: index ${k}, intron ${i}: half walk ${h2} vs transition 0x${full.toString(16)}`);
        }
      }
    }
  });

  it('a long walk on halves ends where the walk on states ends', () => {
    const r = rng(12345);
    let h = free.halfOf(free.archetypeIndex);
    let k = stt.archetypeIndex;
    for (let n = 0; n < 100_000; n++) {
      const i = r() & 0xff;
      h = (h ^ XFORM_HALF[i]!) & KEEP_HALF[i]!;
      k = stt.next(k, i);
    }
    expect(stt.indexOfHalf(h)).toBe(k);
    expect(free.indexOfHalf(h)).toBe(k);
  });

  it('refuses an index out of range and a half no state has, with typed errors', () => {
    const halves = free.halves;
    let gap = -1;
    for (let k = 0; gap < 0; k++) if (halves[k + 1] !== halves[k]! + 1) gap = halves[k]! + 1;
    for (const e of [stt, free]) {
      expect(() => e.halfOf(-1)).toThrow(IndexOutOfRangeError);
      expect(() => e.halfOf(e.size)).toThrow(IndexOutOfRangeError);
      for (const bad of [gap, HALF, -1, 1.5, Number.NaN]) expect(() => e.indexOfHalf(bad)).toThrow(UnknownStateError);
      expect(() => e.indexOfHalf(gap)).toThrow(`0x${(gap * (HALF + 1)).toString(16)}`);
    }
  });

  it('a shared engine carries the halves and the half operations', () => {
    for (const e of [stt, free]) {
      const copy = informationEngineFromShared(structuredClone(shareInformationEngine(e)));
      expect(copy.halves.buffer).toBeInstanceOf(SharedArrayBuffer);
      const r = rng(77);
      for (let n = 0; n < 2000; n++) {
        const k = r() % e.size;
        if (copy.halfOf(k) !== e.halfOf(k) || copy.indexOfHalf(e.halves[k]!) !== k) throw new Error(`${e.mode}: shared engine disagrees at ${k}`);
      }
    }
  });
});
