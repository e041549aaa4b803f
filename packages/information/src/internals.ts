/**
 * Building blocks of @gyro/information that other gyro packages compute with: bit counts,
 * Python-style rounding and IEEE half-float conversions (the store's confidence format), the
 * 48-bit state projection, the `.npy` reader and writer behind the meta-assets, and the
 * pid check of the lock files (`processRuns`), and the four-lane word hash (`updateLanes`) the
 * manifest and the store's sidecar checksums share. For this
 * workspace's packages and tools; no stability promise (the root entry is the package's API).
 */
export { popcount8, popcount48 } from './physics/bits.js';
export { roundHalfEven } from './physics/rounding.js';
export { doubleToHalfBits, halfBitsToDouble } from './physics/half.js';
export { projectState } from './physics/tensor.js';
export { MANIFEST_FILE } from './assets/files.js';
export { readNpy, writeNpy, npyHeader, type Npy, type NpyDtype, type NpyData, type ReadNpyOptions } from './assets/npy.js';
export { processRuns } from './system/process-runs.js';
export { updateLanes } from './assets/content-hash.js';
