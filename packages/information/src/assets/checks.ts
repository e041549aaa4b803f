import { AssetError } from '../errors.js';
import { ARCHETYPE_INDEX, BFS_LAYER_SIZES, ONTOLOGY_SIZE, ORBIT_COUNT, THETA_DISTINCT_VALUES, V_MAX } from '../physics/machine.js';

/** The figures a build or a verification measures, to hold against SPEC §2. */
export interface AssetCounts {
  states: number;
  archetypeIndex: number;
  /** BFS layer sizes from the archetype (only known to a build). */
  layers?: number[];
  orbits: number;
  vMax: number;
  archetypeOrbitSize: number;
  thetaDistinct: number;
}

/** Every way the counts disagree with SPEC §2 (empty when they agree). */
export function countProblems(c: AssetCounts): string[] {
  const p: string[] = [];
  if (c.states !== ONTOLOGY_SIZE) p.push(`${c.states} states, expected ${ONTOLOGY_SIZE}`);
  if (c.archetypeIndex !== ARCHETYPE_INDEX) p.push(`archetype at index ${c.archetypeIndex}, expected ${ARCHETYPE_INDEX}`);
  if (c.layers && c.layers.join(',') !== BFS_LAYER_SIZES.join(',')) p.push(`BFS layers ${c.layers.join(', ')}, expected ${BFS_LAYER_SIZES.join(', ')}`);
  if (c.orbits !== ORBIT_COUNT) p.push(`${c.orbits} orbits, expected ${ORBIT_COUNT}`);
  if (c.vMax !== V_MAX) p.push(`largest orbit ${c.vMax}, expected ${V_MAX}`);
  if (c.archetypeOrbitSize !== 1) p.push(`archetype orbit of size ${c.archetypeOrbitSize}, expected 1`);
  if (c.thetaDistinct !== THETA_DISTINCT_VALUES) p.push(`${c.thetaDistinct} distinct θ values, expected ${THETA_DISTINCT_VALUES}`);
  return p;
}

/** A builder's refusal: it measured counts that disagree with the spec and wrote nothing. */
export function assertCounts(c: AssetCounts, dir: string): void {
  const p = countProblems(c);
  if (p.length > 0)
    throw new AssetError(
      'ASSET_COUNT_MISMATCH',
      dir,
      `refusing to write assets to ${dir}: ${p.join('; ')}`,
      'the physics disagrees with SPEC §2; this is a bug in @gyro/information',
    );
}
