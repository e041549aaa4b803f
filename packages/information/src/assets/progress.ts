/** Progress of one build stage: `done` of `total` (total undefined while unknown). */
export type ProgressFn = (done: number, total: number | undefined) => void;

/**
 * 'ontology': states found by the BFS; 'epistemology': rows of the transition table written
 * (the orbits and θ are computed alongside it).
 */
export type AssetStage = 'ontology' | 'epistemology';

/** A build's progress callback: which stage, how far. */
export type BuildProgressFn = (stage: AssetStage, done: number, total: number | undefined) => void;
