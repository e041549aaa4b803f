// The root entry: errors, the physics of the machine, the meta-assets (build, ensure, verify)
// and the InformationEngine. Building blocks (bit counts, rounding and half-float conversions,
// .npy reading and writing) are in ./internals.ts (`@gyro/information/internals`).
export {
  GyroError,
  InformationError,
  InformationErrorCodes,
  type InformationErrorCode,
  AssetError,
  type AssetErrorCode,
  InvalidArgumentError,
  InvalidIntronError,
  UnknownStateError,
  IndexOutOfRangeError,
  RemoteError,
  toErrorRecord,
  type ErrorRecord,
} from './errors.js';
export type { InformationEngine } from './engine/types.js';
export {
  GENE_MIC_S,
  GENE_MAC_S,
  FULL_MASK,
  FG_MASK,
  BG_MASK,
  EXON_LI_MASK,
  EXON_FG_MASK,
  EXON_BG_MASK,
  EXON_DYNAMIC_MASK,
  XFORM,
  BROADCAST,
  XFORM_HALF,
  KEEP_HALF,
} from './physics/constants.js';
export {
  ARCHETYPE_STATE,
  ARCHETYPE_INDEX,
  ONTOLOGY_SIZE,
  BFS_LAYER_SIZES,
  ORBIT_COUNT,
  V_MAX,
  THETA_DISTINCT_VALUES,
} from './physics/machine.js';
export { transition, stepHalf, isState } from './physics/transition.js';
export { fold, FOLD_TABLE, foldSequence, dual, transcribe } from './physics/fold.js';
export { exonProduct } from './physics/exon-product.js';
export { tensorToState, stateToTensor, angularDistance } from './physics/tensor.js';
export { ASSET_FILES, type AssetFile } from './assets/files.js';
export { buildAssets, type BuildOptions, type BuildReport } from './assets/build.js';
export { ensureAssets, type EnsureResult } from './assets/ensure.js';
export { verifyAssets, type VerifyOptions, type VerifyReport, type VerifiedFile } from './assets/verify.js';
export { defaultAssetsDir } from './assets/default-dir.js';
export type { AssetCounts } from './assets/checks.js';
export type { AssetStage, BuildProgressFn } from './assets/progress.js';
export { loadInformationEngine, type EngineMode, type LoadOptions, type LoadedEngine } from './engine/load.js';
export { shareInformationEngine, informationEngineFromShared, type SharedEngineTables } from './engine/shared.js';
