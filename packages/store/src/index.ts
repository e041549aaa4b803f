// The root entry: the store contract, the file store, views, maintenance and errors. Building
// blocks for other backends (record layout, key index, replay, file names) are in ./internals.ts.
export type { KeyVisitor, Phenotype, PhenotypeStore } from './contract.js';
export { forEachKeyOfState } from './contract.js';
export { ADDRESSINGS, DEFAULT_ADDRESSING, addressingOf, assertAddressing, isAddressing } from './addressing.js';
export type { Addressing } from './addressing.js';
export { readAddressing } from './orbit-store/meta.js';
export { confFromHalfBits, confToHalfBits } from './conf.js';
export {
  StoreError,
  StoreErrorCodes,
  type StoreErrorCode,
  AddressingMismatchError,
  CorruptStoreError,
  InvalidPhenotypeError,
  ReadOnlyStoreError,
  StoreClosedError,
  StoreIOError,
  StoreLockedError,
  StoreVerifyError,
} from './errors.js';
export { OrbitStore } from './orbit-store/OrbitStore.js';
export type { OrbitStoreOpenInfo, OrbitStoreOptions, OrbitStoreStats } from './orbit-store/OrbitStore.js';
export type { SidecarStatus } from './orbit-store/sidecar.js';
export { ForwardingView } from './views/ForwardingView.js';
export { CanonicalView } from './views/CanonicalView.js';
export { OverlayView } from './views/OverlayView.js';
export { ReadOnlyView } from './views/ReadOnlyView.js';
export { defaultStorePath } from './paths.js';
export type { KeepEntry, RewriteResult } from './orbit-store/OrbitStore.js';
export type { MaintenanceReport } from './maintenance/report.js';
export { compactStore, pruneStore } from './maintenance/compact.js';
export type { CompactOptions, CompactReport, PruneOptions, PruneReport, PrunedEntry } from './maintenance/compact.js';
export { decayStore } from './maintenance/decay.js';
export type { DecayOptions, DecayReport } from './maintenance/decay.js';
export { MERGE_POLICIES, mergeStores } from './maintenance/merge.js';
export type { MergeOptions, MergePolicy, MergeReport } from './maintenance/merge.js';
export { applyOrbitEntropy } from './maintenance/orbit-entropy.js';
export type { OrbitEntropyOptions, OrbitEntropyReport } from './maintenance/orbit-entropy.js';
export { storeStats } from './maintenance/stats.js';
export type { StoreStatsReport } from './maintenance/stats.js';
export { validateStore } from './maintenance/validate.js';
export type { ValidateReport } from './maintenance/validate.js';
export { repairStore } from './maintenance/repair.js';
export type { DroppedRange, RepairReport } from './maintenance/repair.js';
export { exportRecords } from './maintenance/export.js';
export type { ExportedRecord } from './maintenance/export.js';
