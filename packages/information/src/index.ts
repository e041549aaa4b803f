export { GyroError, AssetError, InvalidIntronError, UnknownStateError, IndexOutOfRangeError } from './errors.js';
export type { InformationEngine } from './engine/types.js';
export { roundHalfEven } from './physics/rounding.js';
export { doubleToHalfBits, halfBitsToDouble } from './physics/half.js';
export {
  GENE_MIC_S, GENE_MAC_S, FULL_MASK, FG_MASK, BG_MASK, EXON_LI_MASK, EXON_FG_MASK, EXON_BG_MASK,
  EXON_DYNAMIC_MASK, XFORM, BROADCAST,
} from './physics/constants.js';
export {
  ARCHETYPE_STATE, ARCHETYPE_INDEX, ONTOLOGY_SIZE, BFS_LAYER_SIZES, ORBIT_COUNT, V_MAX, THETA_DISTINCT_VALUES,
} from './physics/machine.js';
export { transition, isState } from './physics/transition.js';
export { fold, FOLD_TABLE, foldSequence, dual, transcribe } from './physics/fold.js';
export { exonProduct } from './physics/exon-product.js';
export { tensorToState, stateToTensor, angularDistance, projectState } from './physics/tensor.js';
export { popcount8, popcount48 } from './physics/bits.js';
