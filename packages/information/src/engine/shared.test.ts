import { describe, expect, it } from 'vitest';
import { testEngine } from '../testing.js';
import { informationEngineFromShared, shareInformationEngine } from './shared.js';

describe('sharing an engine with worker threads', () => {
  it.each(['stt', 'stt-free'] as const)('%s: tables are SharedArrayBuffer-backed and the rebuilt engine answers alike', async (mode) => {
    const engine = await testEngine(mode);
    const shared = shareInformationEngine(engine);
    for (const a of [shared.keys, shared.halves, shared.thetaTable, shared.phenomenology, shared.orbitSizes])
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    if (mode === 'stt')
      expect(shared.stt).toBe(engine.stt); // already shared: not copied
    else expect(shared.stt).toBeNull();
    // structuredClone is what postMessage does: SharedArrayBuffers survive as the same memory.
    const copy = informationEngineFromShared(structuredClone(shared));
    expect(copy.mode).toBe(mode);
    expect(copy.size).toBe(engine.size);
    expect(copy.archetypeIndex).toBe(engine.archetypeIndex);
    let k = 1;
    for (let n = 0; n < 2000; n++) {
      k = (k * 48271) % engine.size;
      const i = n & 255;
      if (copy.next(k, i) !== engine.next(k, i) || copy.theta(k) !== engine.theta(k) || copy.representative(k) !== engine.representative(k))
        throw new Error(`disagree at ${k}, ${i}`);
      expect(copy.indexOf(engine.stateAt(k))).toBe(k);
    }
  });
  it('refuses an object that is not a loaded engine', () => {
    expect(() => shareInformationEngine({} as never)).toThrow(/loadInformationEngine/);
  });
});
