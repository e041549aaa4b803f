import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InvalidPhenotypeError } from '../errors.js';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { tempStoreDir } from '../testing.js';
import { CanonicalView } from './CanonicalView.js';
import { OverlayView } from './OverlayView.js';
import { ReadOnlyView } from './ReadOnlyView.js';

const dir = tempStoreDir();
let n = 0;
const orbit = () => OrbitStore.open(join(dir, `w${n++}.bin`));
// States 0..99: representative = state rounded down to a multiple of 10.
const tens = Int32Array.from({ length: 100 }, (_, i) => i - (i % 10));

describe('CanonicalView', () => {
  it('keys every operation by the representative', () => {
    const base = orbit();
    const view = new CanonicalView(base, tens);
    view.put(17, 5, 0x10, 0.5);
    expect(base.get(10, 5)).toEqual({ mask: 0x10, conf: 0.5 });
    expect(base.get(17, 5)).toBeUndefined();
    expect(view.get(13, 5)).toEqual({ mask: 0x10, conf: 0.5 });
    expect([...view.iterKeysForState(19)]).toEqual([5]);
    expect(view.stateVersion(11)).toBe(base.stateVersion(10));
    expect(view.delete(10, 5)).toBe(true);
    expect(view.get(17, 5)).toBeUndefined();
    expect(() => view.get(100, 5)).toThrow(InvalidPhenotypeError);
    expect(() => view.put(-1, 5, 0, 0.1)).toThrow(InvalidPhenotypeError);
    view.close();
  });
});

describe('OverlayView', () => {
  it('reads private first, writes private, lists private keys then unshadowed public ones', () => {
    const pub = orbit();
    pub.put(1, 10, 0x02, 0.2);
    pub.put(1, 11, 0x02, 0.2);
    const own = orbit();
    const view = new OverlayView(new ReadOnlyView(pub), own);
    view.put(1, 11, 0x04, 0.375);
    view.put(1, 12, 0x04, 0.375);
    expect(pub.get(1, 11)).toEqual({ mask: 0x02, conf: 0.2 });
    expect(view.get(1, 11)).toEqual({ mask: 0x04, conf: 0.375 });
    expect(view.get(1, 10)).toEqual({ mask: 0x02, conf: 0.2 });
    expect([...view.iterKeysForState(1)]).toEqual([11, 12, 10]);
    expect(view.size).toBe(3);
    expect([...view.iterEntries()].map(([s, t, m]) => `${s}/${t}/${m}`)).toEqual(['1/11/4', '1/12/4', '1/10/2']);
    // Deleting the private entry lets the public one show through again.
    expect(view.delete(1, 11)).toBe(true);
    expect(view.get(1, 11)).toEqual({ mask: 0x02, conf: 0.2 });
    const v = view.stateVersion(1);
    pub.put(1, 13, 0, 0.1);
    expect(view.stateVersion(1)).not.toBe(v);
    view.close();
    expect(pub.get(1, 13)).toEqual({ mask: 0, conf: 0.1 }); // the shared public store stays open
    pub.close();
  });
});

describe('listing a state goes straight through every layer (TODO items A and G)', () => {
  const stack = () => {
    const base = orbit();
    for (let s = 0; s < 100; s += 10) for (let t = 0; t < 50; t++) base.put(s, t * 3 + s, 0, 0.1);
    const canonical = new CanonicalView(base, tens);
    const readOnly = new ReadOnlyView(canonical);
    const own = orbit();
    own.put(20, 1, 0, 0.3);
    const overlay = new OverlayView(readOnly, own);
    return { base, canonical, readOnly, own, overlay, layers: [base, canonical, readOnly, own, overlay] };
  };

  it('Overlay → ReadOnly → Canonical → OrbitStore never calls iterEntries', () => {
    const { layers, overlay, base, own } = stack();
    const spies = layers.map((layer) => vi.spyOn(layer, 'iterEntries'));
    const protoSpy = vi.spyOn(OrbitStore.prototype, 'iterEntries');
    // Overlay keys are already canonical in an agent pool; the private store holds state 20.
    const keys = [...overlay.iterKeysForState(20)];
    expect(keys).toEqual([1, ...Array.from({ length: 50 }, (_, t) => t * 3 + 20)]);
    expect(keys.length).toBe(51);
    for (const spy of [...spies, protoSpy]) expect(spy).not.toHaveBeenCalled();
    protoSpy.mockRestore();
    overlay.close();
    base.close();
    void own;
  });

  it('forEachKeyOfState through the stack: private value first, shadowed public keys once, a stop ends both layers', () => {
    const { overlay, base, own } = stack();
    own.put(20, 23, 0, 0.5); // also a public key of state 20: the private value must win
    const got: number[][] = [];
    overlay.forEachKeyOfState(20, (t, packed) => void got.push([t, packed]));
    expect(got).toEqual([...overlay.iterKeysForState(20)].map((t) => [t, overlay.getPacked(20, t)]));
    expect(got.filter(([t]) => t === 23)).toEqual([[23, own.getPacked(20, 23)]]);
    const seen: number[] = [];
    overlay.forEachKeyOfState(20, (t) => seen.push(t) < 2);
    expect(seen).toEqual([1, 23]);
    overlay.close();
    base.close();
  });

  it('CanonicalView over Overlay(ReadOnly(public), private) canonicalises once and never scans', () => {
    const pub = orbit();
    for (let t = 0; t < 30; t++) pub.put(40, t, 0, 0.1);
    const own = orbit();
    own.put(40, 100, 0, 0.2);
    const overlay = new OverlayView(new ReadOnlyView(pub), own);
    const view = new CanonicalView(overlay, tens);
    const mapped = vi.spyOn(view, 'canonical');
    const scans = [vi.spyOn(pub, 'iterEntries'), vi.spyOn(own, 'iterEntries'), vi.spyOn(overlay, 'iterEntries')];
    expect([...view.iterKeysForState(47)].length).toBe(31);
    expect(mapped).toHaveBeenCalledTimes(1);
    for (const spy of scans) expect(spy).not.toHaveBeenCalled();
    view.close();
    pub.close();
  });
});
