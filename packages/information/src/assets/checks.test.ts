import { expect, it } from 'vitest';
import { AssetError } from '../errors.js';
import { ARCHETYPE_INDEX, BFS_LAYER_SIZES, ONTOLOGY_SIZE, ORBIT_COUNT, V_MAX } from '../physics/machine.js';
import { assertCounts, countProblems, type AssetCounts } from './checks.js';

const right: AssetCounts = {
  states: ONTOLOGY_SIZE,
  archetypeIndex: ARCHETYPE_INDEX,
  layers: [...BFS_LAYER_SIZES],
  orbits: ORBIT_COUNT,
  vMax: V_MAX,
  archetypeOrbitSize: 1,
  thetaDistinct: 24,
};

it('accepts the counts of SPEC §2', () => {
  expect(countProblems(right)).toEqual([]);
  expect(() => assertCounts(right, '/x')).not.toThrow();
});

it('refuses every kind of disagreement, naming it', () => {
  const wrong: [Partial<AssetCounts>, RegExp][] = [
    [{ states: 5 }, /5 states/],
    [{ archetypeIndex: 0 }, /archetype at index 0/],
    [{ layers: [255, 10449] }, /BFS layers/],
    [{ orbits: 255 }, /255 orbits/],
    [{ vMax: 1 }, /largest orbit 1/],
    [{ archetypeOrbitSize: 2 }, /archetype orbit/],
    [{ thetaDistinct: 23 }, /23 distinct/],
  ];
  for (const [change, message] of wrong) {
    const c = { ...right, ...change };
    expect(countProblems(c)).toHaveLength(1);
    expect(() => assertCounts(c, '/some/dir')).toThrow(AssetError);
    expect(() => assertCounts(c, '/some/dir')).toThrow(message);
  }
});
