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
export { roundHalfEven } from './physics/rounding.js';
export { doubleToHalfBits, halfBitsToDouble } from './physics/half.js';
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
export { tensorToState, stateToTensor, angularDistance, projectState } from './physics/tensor.js';
export { popcount8, popcount48 } from './physics/bits.js';
export { ASSET_FILES, MANIFEST_FILE, type AssetFile } from './assets/files.js';
export { readNpy, writeNpy, npyHeader, type Npy, type NpyDtype, type NpyData, type ReadNpyOptions } from './assets/npy.js';
export { buildAssets, type BuildOptions, type BuildReport } from './assets/build.js';
export { ensureAssets, type EnsureResult } from './assets/ensure.js';
export { verifyAssets, type VerifyOptions, type VerifyReport, type VerifiedFile } from './assets/verify.js';
export { defaultAssetsDir } from './assets/default-dir.js';
export type { AssetCounts } from './assets/checks.js';
export type { AssetStage, BuildProgressFn } from './assets/progress.js';
export { loadInformationEngine, type EngineMode, type LoadOptions, type LoadedEngine } from './engine/load.js';
export { shareInformationEngine, informationEngineFromShared, type SharedEngineTables } from './engine/shared.js';
