export type { Phenotype, PhenotypeStore } from './contract.js';
export { confFromHalfBits, confToHalfBits } from './conf.js';
export {
  CorruptStoreError,
  InvalidPhenotypeError,
  ReadOnlyStoreError,
  StoreClosedError,
  StoreIOError,
  StoreLockedError,
} from './errors.js';
export { RECORD_SIZE, TOMBSTONE_MASK, TOMBSTONE_PAD } from './record.js';
export { OrbitStore } from './orbit-store/OrbitStore.js';
export type { OrbitStoreOpenInfo, OrbitStoreOptions, OrbitStoreStats } from './orbit-store/OrbitStore.js';
export { lockPathOf } from './orbit-store/lock.js';
export { sidecarPathOf } from './orbit-store/sidecar.js';
export type { SidecarStatus } from './orbit-store/sidecar.js';
export { CanonicalView } from './views/CanonicalView.js';
export { OverlayView } from './views/OverlayView.js';
export { ReadOnlyView } from './views/ReadOnlyView.js';
export { defaultStorePath } from './paths.js';
