/** Progress of one build stage: `done` of `total` (total undefined while unknown). */
export type ProgressFn = (done: number, total: number | undefined) => void;

export type AssetStage = 'ontology' | 'epistemology' | 'phenomenology' | 'theta' | 'write';

/** A build's progress callback: which stage, how far. */
export type BuildProgressFn = (stage: AssetStage, done: number, total: number | undefined) => void;
