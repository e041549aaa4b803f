/**
 * Building blocks for other store backends (@gyro/store-redis) and this workspace's tools: the
 * 12-byte record layout, the typed-array key index and the record replay every backend shares,
 * and the names of a file store's companion files (lock, sidecar, meta). No stability promise:
 * the root entry is the package's API.
 */
export { RECORD_SIZE, TOMBSTONE_MASK, TOMBSTONE_PAD } from './record.js';
export { lockPathOf } from './orbit-store/lock.js';
export { sidecarPathOf } from './orbit-store/sidecar.js';
export { metaPathOf } from './orbit-store/meta.js';
export { KeyIndex, LIVE } from './orbit-store/key-index.js';
export { applyRecordWords } from './orbit-store/replay.js';
export { entriesOf, forEachOfState, walkState } from './orbit-store/iterate.js';
