/**
 * Figures of the full machine (SPEC §2): what the ontology built from the archetype must show.
 * Builders refuse to write assets that disagree with them.
 */
export const ARCHETYPE_STATE = 0xa9556aa9556a;
export const ARCHETYPE_INDEX = 549871;
export const ONTOLOGY_SIZE = 788986;
/** States first reached at BFS depth 1..6 from the archetype (depth 0 is the archetype). */
export const BFS_LAYER_SIZES: readonly number[] = Object.freeze([255, 10449, 151191, 473304, 151410, 2376]);
/** Strongly connected components of the full transition graph. */
export const ORBIT_COUNT = 256;
/** Size of the largest orbit. */
export const V_MAX = 48496;
/** Distinct θ values over the ontology. */
export const THETA_DISTINCT_VALUES = 24;
