import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssetError, IndexOutOfRangeError, InvalidIntronError, UnknownStateError } from '../errors.js';
import { stepHalf, transition } from '../physics/transition.js';
import { BROADCAST, HALF, KEEP_HALF, XFORM, XFORM_HALF } from '../physics/constants.js';
import { angularDistance } from '../physics/tensor.js';
import { ARCHETYPE_INDEX, ARCHETYPE_STATE, ONTOLOGY_SIZE, V_MAX } from '../physics/machine.js';
import { ASSET_FILES } from '../assets/files.js';
import { writeNpy } from '../assets/npy.js';
import { testAssetsDir, testEngine } from '../testing.js';
import { loadInformationEngine } from './load.js';
import { informationEngineFromShared, shareInformationEngine } from './shared.js';
import type { InformationEngine } from './types.js';

let stt: InformationEngine;
let free: InformationEngine;
beforeAll(async () => {
  stt = await testEngine('stt');
  free = await testEngine('stt-free');
});

/** A small deterministic PRNG (xorshift32), so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('both modes', () => {
  it('describe the full machine', () => {
    for (const e of [stt, free]) {
      expect(e.size).toBe(ONTOLOGY_SIZE);
      expect(e.archetypeState).toBe(ARCHETYPE_STATE);
      expect(e.archetypeIndex).toBe(ARCHETYPE_INDEX);
      expect(e.vMax).toBe(V_MAX);
      expect(e.stateAt(ARCHETYPE_INDEX)).toBe(ARCHETYPE_STATE);
      expect(e.theta(ARCHETYPE_INDEX)).toBe(0);
      expect(e.orbitSize(ARCHETYPE_INDEX)).toBe(1);
      expect(e.representative(ARCHETYPE_INDEX)).toBe(ARCHETYPE_INDEX);
    }
    expect(stt.mode).toBe('stt');
    expect(free.mode).toBe('stt-free');
    expect(stt.stt!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(stt.stt!.length).toBe(ONTOLOGY_SIZE * 256);
    expect(free.stt).toBeNull();
  });

  it('agree on all 256 introns for 4,000 sampled states, and with the formula', () => {
    const r = rng(7);
    const disagreements: string[] = [];
    for (let n = 0; n < 4000; n++) {
      const k = r() % ONTOLOGY_SIZE;
      const s = stt.stateAt(k);
      for (let i = 0; i < 256; i++) {
        const a = stt.next(k, i);
        const b = free.next(k, i);
        if (a !== b || stt.stateAt(a) !== transition(s, i)) disagreements.push(`state ${k} intron ${i}: stt ${a}, stt-free ${b}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('agree on random walks', () => {
    const r = rng(12345);
    for (let walk = 0; walk < 20; walk++) {
      let a = ARCHETYPE_INDEX;
      let b = ARCHETYPE_INDEX;
      let s = ARCHETYPE_STATE;
      for (let step = 0; step < 5000; step++) {
        const i = r() & 255;
        a = stt.next(a, i);
        b = free.next(b, i);
        s = transition(s, i);
        if (a !== b) throw new Error(`walk ${walk} step ${step}: ${a} ≠ ${b}`);
      }
      expect(stt.stateAt(a)).toBe(s);
    }
  });

  it('indexOf and stateAt are inverse; θ, orbits and representatives are consistent', () => {
    const r = rng(99);
    for (let n = 0; n < 2000; n++) {
      const k = r() % ONTOLOGY_SIZE;
      const s = free.stateAt(k);
      expect(free.indexOf(s)).toBe(k);
      expect(stt.indexOf(s)).toBe(k);
      expect(free.theta(k)).toBe(Math.fround(angularDistance(s, ARCHETYPE_STATE)));
      const rep = free.representative(k);
      expect(rep).toBeLessThanOrEqual(k);
      expect(free.representative(rep)).toBe(rep);
      expect(free.orbitSize(rep)).toBe(free.orbitSize(k));
    }
    expect(free.keys[0]).toBe(0);
    expect(free.indexOf(0)).toBe(0);
  });
});

describe('bad input', () => {
  it('unknown states', () => {
    for (const e of [stt, free]) {
      expect(() => e.indexOf(ARCHETYPE_STATE + 1)).toThrow(UnknownStateError);
      expect(() => e.indexOf(0xa9556a000000)).toThrow(UnknownStateError);
      expect(() => e.indexOf(-1)).toThrow(UnknownStateError);
      expect(() => e.indexOf(2 ** 48)).toThrow(UnknownStateError);
      expect(() => e.indexOf(Number.NaN)).toThrow(UnknownStateError);
      expect(() => e.indexOf(1.5)).toThrow(/not in the ontology/);
    }
  });
  it('indices out of range and bad introns', () => {
    for (const e of [stt, free]) {
      for (const bad of [-1, ONTOLOGY_SIZE, 1.5, Number.NaN]) {
        expect(() => e.stateAt(bad)).toThrow(IndexOutOfRangeError);
        expect(() => e.theta(bad)).toThrow(IndexOutOfRangeError);
        expect(() => e.orbitSize(bad)).toThrow(IndexOutOfRangeError);
        expect(() => e.representative(bad)).toThrow(IndexOutOfRangeError);
        expect(() => e.next(bad, 0)).toThrow(IndexOutOfRangeError);
      }
      for (const bad of [-1, 256, 0.5, Number.NaN]) expect(() => e.next(0, bad)).toThrow(InvalidIntronError);
      expect(() => e.stateAt(ONTOLOGY_SIZE)).toThrow(/outside 0\.\.788985/);
    }
  });
  it('missing, corrupt or wrong-shape assets name the file and the fix', async () => {
    const good = await testAssetsDir();
    const dir = mkdtempSync(join(tmpdir(), 'gyro-engine-bad-'));
    try {
      expect(() => loadInformationEngine(dir, { mode: 'stt-free' })).toThrow(AssetError);
      expect(() => loadInformationEngine(dir, { mode: 'stt-free' })).toThrow(/ontology_keys\.npy does not exist.*gyro assets build/);
      for (const name of ASSET_FILES) symlinkSync(join(good, name), join(dir, name));
      rmSync(join(dir, 'theta.npy'));
      writeNpy(join(dir, 'theta.npy'), new Float32Array(10), [10]);
      expect(() => loadInformationEngine(dir, { mode: 'stt-free' })).toThrow(/theta\.npy has shape \(10\); expected \(788986\)/);
      rmSync(join(dir, 'theta.npy'));
      writeFileSync(join(dir, 'theta.npy'), 'garbage');
      expect(() => loadInformationEngine(dir, { mode: 'stt-free' })).toThrow(/theta\.npy is not a \.npy file/);
      rmSync(join(dir, 'ontology_keys.npy'));
      writeNpy(join(dir, 'ontology_keys.npy'), new Float64Array([5, 3]), [2]);
      expect(() => loadInformationEngine(dir, { mode: 'stt-free' })).toThrow(/not a state of this physics/);
      expect(() => loadInformationEngine(good, { mode: 'fast' as never })).toThrow(/unknown engine mode/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

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
