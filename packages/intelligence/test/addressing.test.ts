import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { AddressingMismatchError, OrbitStore, readAddressing } from '@gyro/store';
import { AgentPool, GyroSI, IntelligenceEngine } from '../src/index.js';
import { licensesStream, tempDir } from './support.js';

describe('addressing: every path follows the store', () => {
  let info: InformationEngine;
  const tmp = tempDir('gyro-addr-');
  const { bytes } = licensesStream();
  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  function learned(addressing: 'canonical' | 'state', name: string): { store: OrbitStore; engine: IntelligenceEngine } {
    const store = OrbitStore.open(join(tmp.dir, name), { addressing });
    const engine = new IntelligenceEngine(info, store, { seed: 3 });
    engine.processEgressBulk(bytes);
    return { store, engine };
  }

  it('a state store keys each token by its exact pre-state; canonical keys are their representatives', () => {
    const canonical = learned('canonical', 'c.bin');
    const state = learned('state', 's.bin');
    const statesOf = (s: OrbitStore) => new Set([...s.iterEntries()].map((e) => e[0]));
    const exact = statesOf(state.store);
    const reps = statesOf(canonical.store);
    expect(exact.size).toBeGreaterThan(reps.size);
    expect([...exact].some((s) => info.phenomenology[s] !== s)).toBe(true);
    // Folding the exact states onto their representatives gives exactly the canonical keys.
    const folded = new Set<string>();
    for (const [s, t] of state.store.iterEntries()) folded.add(`${info.phenomenology[s]},${t}`);
    expect(folded).toEqual(new Set([...canonical.store.iterEntries()].map(([s, t]) => `${s},${t}`)));
    // explain and generation read the exact state.
    const s = [...exact].find((x) => info.phenomenology[x] !== x)!;
    const e = state.engine.explain(s);
    expect(e).toMatchObject({ addressing: 'state', rep: s, stateIndex: s });
    expect(e.candidates.map((c) => c.token).sort((a, b) => a - b)).toEqual([...state.store.iterKeysForState(s)].sort((a, b) => a - b));
    expect(canonical.engine.explain(s)).toMatchObject({ addressing: 'canonical', rep: info.phenomenology[s] });
    state.engine.stateIndex = s;
    expect([...state.store.iterKeysForState(s)]).toContain(state.engine.chooseToken());
    canonical.store.close();
    state.store.close();
  });

  it('maintenance keeps N tokens per stored context: per state in a state store', () => {
    const { store } = learned('state', 'm.bin');
    const agent = new GyroSI(info, store, { seed: 1 });
    const perState = () => {
      const counts = new Map<number, number>();
      for (const [s] of store.iterEntries()) counts.set(s, (counts.get(s) ?? 0) + 1);
      return counts;
    };
    const before = perState();
    agent.maintenance({ decayRate: 0, maxTokensPerOrbit: 2 });
    const after = perState();
    for (const [s, n] of before) expect(after.get(s)).toBe(Math.min(n, 2));
    agent.close();
  });

  it('a pool gives new private stores the public store’s addressing and refuses a mismatched one', () => {
    const { store } = learned('state', 'public.bin');
    store.close();
    const root = join(tmp.dir, 'agents');
    const pool = new AgentPool({ info, publicStorePath: store.path, privateRoot: root });
    pool.get('user').ingestText('hello there');
    expect(readAddressing(join(root, 'user', 'knowledge.bin'))).toBe('state');
    pool.close();
    mkdirSync(join(root, 'system'), { recursive: true });
    const wrong = OrbitStore.open(join(root, 'system', 'knowledge.bin'), { addressing: 'canonical' });
    wrong.put(1, 2, 0, 0.5);
    wrong.close();
    const again = new AgentPool({ info, publicStorePath: store.path, privateRoot: root });
    expect(() => again.get('system')).toThrow(AddressingMismatchError);
    again.close();
    expect(() => new AgentPool({ info, publicStorePath: store.path, privateRoot: root, addressing: 'canonical' })).toThrow(AddressingMismatchError);
  });
});
