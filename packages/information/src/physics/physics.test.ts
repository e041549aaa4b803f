import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { InvalidIntronError, UnknownStateError } from '../errors.js';
import { popcount32, popcount48, popcount8, xor48 } from './bits.js';
import { BG_MASK, BROADCAST, FG_MASK, FULL_MASK, GENE_MAC_S, XFORM } from './constants.js';
import { exonProduct } from './exon-product.js';
import { FOLD_TABLE, dual, fold, foldSequence, transcribe } from './fold.js';
import { ARCHETYPE_STATE } from './machine.js';
import { angularDistance, projectState, stateToTensor, tensorToState } from './tensor.js';
import { transition } from './transition.js';

interface Physics {
  transitions: [number, number, number][];
  fold_table_sha256: string;
  exon_product: [number, number, number, number, number][];
  masks: Record<'FULL' | 'FG' | 'BG', string>;
  xform: number[];
}
const golden = goldenJson<Physics>('physics.json');

describe('transition', () => {
  it.each(golden.transitions)('%d --%d--> %d (golden)', (s, i, next) => {
    expect(transition(s, i)).toBe(next);
  });
  it('matches the 48-bit formula written with BigInt', () => {
    for (const [s] of golden.transitions.slice(0, 20))
      for (let i = 0; i < 256; i++) {
        const want = (BigInt(s) ^ BigInt(XFORM[i]!)) & ~BigInt(BROADCAST[i]!) & 0xffffffffffffn;
        expect(transition(s, i)).toBe(Number(want));
      }
  });
  it('rejects bad introns and non-states', () => {
    expect(() => transition(ARCHETYPE_STATE, 256)).toThrow(InvalidIntronError);
    expect(() => transition(ARCHETYPE_STATE, -1)).toThrow(InvalidIntronError);
    expect(() => transition(ARCHETYPE_STATE, 1.5)).toThrow(InvalidIntronError);
    expect(() => transition(2 ** 48, 0)).toThrow(UnknownStateError);
    expect(() => transition(-1, 0)).toThrow(UnknownStateError);
  });
});

describe('constants', () => {
  it('masks and XFORM match the reference', () => {
    expect(FULL_MASK).toBe(Number(golden.masks.FULL));
    expect(FG_MASK).toBe(Number(golden.masks.FG));
    expect(BG_MASK).toBe(Number(golden.masks.BG));
    expect(Array.from(XFORM)).toEqual(golden.xform);
  });
  it('BROADCAST repeats the byte in all six bytes', () => {
    expect(BROADCAST[0xab]).toBe(0xabababababab);
    expect(BROADCAST[0]).toBe(0);
  });
  it('GENE_Mac_S flattens to the archetype', () => {
    expect(Array.from(GENE_MAC_S.slice(0, 12))).toEqual([-1, 1, -1, 1, -1, 1, 1, -1, 1, -1, 1, -1]);
    expect(Array.from(GENE_MAC_S.slice(12, 24))).toEqual([1, -1, 1, -1, 1, -1, -1, 1, -1, 1, -1, 1]);
    expect(tensorToState(GENE_MAC_S)).toBe(0xa9556aa9556a);
    expect(ARCHETYPE_STATE).toBe(186184326796650);
  });
});

describe('fold', () => {
  it('fold table hashes to the reference', () => {
    expect(createHash('sha256').update(FOLD_TABLE).digest('hex')).toBe(golden.fold_table_sha256);
  });
  it('has the identities of SPEC §1 and is neither commutative nor associative', () => {
    for (let x = 0; x < 256; x++) {
      expect(fold(0, x)).toBe(x);
      expect(fold(x, 0)).toBe(0);
      expect(fold(x, x)).toBe(0);
    }
    expect(fold(1, 2)).not.toBe(fold(2, 1));
    let assoc = true;
    for (let a = 0; a < 16 && assoc; a++)
      for (let b = 0; b < 16 && assoc; b++) for (let c = 0; c < 16 && assoc; c++) if (fold(fold(a, b), c) !== fold(a, fold(b, c))) assoc = false;
    expect(assoc).toBe(false);
  });
  it('foldSequence is the left fold', () => {
    const xs = [0x12, 0xf0, 0x3c, 0x81];
    expect(foldSequence(xs)).toBe(fold(fold(fold(fold(0, 0x12), 0xf0), 0x3c), 0x81));
    expect(foldSequence(xs, 0x55)).toBe(fold(fold(fold(fold(0x55, 0x12), 0xf0), 0x3c), 0x81));
    expect(foldSequence([])).toBe(0);
    expect(foldSequence([], 7)).toBe(7);
  });
  it('dual and transcribe', () => {
    expect(dual(0x0f)).toBe(0xf0);
    expect(dual(dual(0x5a))).toBe(0x5a);
    expect(transcribe(0xaa)).toBe(0);
    expect(transcribe(transcribe(0x37))).toBe(0x37);
  });
});

describe('exonProduct', () => {
  it.each(golden.exon_product)('mask %d conf %d orbit %d/%d → %d (golden)', (mask, conf, v, vMax, p) => {
    expect(exonProduct(mask, conf, v, vMax)).toBe(p);
  });
  it('throws for a non-positive vMax', () => {
    expect(() => exonProduct(0x42, 0.5, 1, 0)).toThrow(/vMax/);
  });
});

describe('tensors, distances, popcounts', () => {
  it('tensor ↔ state round-trips', () => {
    for (const [s] of golden.transitions.slice(0, 50)) expect(tensorToState(stateToTensor(s))).toBe(s);
    expect(Array.from(stateToTensor(ARCHETYPE_STATE))).toEqual(Array.from(GENE_MAC_S));
    expect(() => tensorToState([1, -1])).toThrow(/48 elements/);
    expect(() => tensorToState(new Array(48).fill(0))).toThrow(/±1/);
  });
  it('angular distance', () => {
    expect(angularDistance(ARCHETYPE_STATE, ARCHETYPE_STATE)).toBe(0);
    expect(angularDistance(ARCHETYPE_STATE, xor48(ARCHETYPE_STATE, FULL_MASK))).toBeCloseTo(Math.PI, 12);
    expect(angularDistance(0, FG_MASK)).toBeCloseTo(Math.PI / 2, 12);
    // equals the tensor formula acos(dot / 48)
    const [a, b] = [golden.transitions[0]![0], golden.transitions[1]![0]];
    const ta = stateToTensor(a);
    const tb = stateToTensor(b);
    let dot = 0;
    for (let k = 0; k < 48; k++) dot += ta[k]! * tb[k]!;
    expect(angularDistance(a, b)).toBeCloseTo(Math.acos(dot / 48), 14);
  });
  it('popcounts and projection', () => {
    expect(popcount8(0xff)).toBe(8);
    expect(popcount8(0x1ff)).toBe(8);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount48(FULL_MASK)).toBe(48);
    expect(popcount48(ARCHETYPE_STATE)).toBe(24);
    expect(popcount48(2 ** 47)).toBe(1);
    expect(projectState(0x010203040506)).toBe(1 ^ 2 ^ 3 ^ 4 ^ 5 ^ 6);
    expect(projectState(ARCHETYPE_STATE)).toBe(0);
    expect(projectState(0xff0000000000)).toBe(0xff);
  });
});
