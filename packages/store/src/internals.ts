/**
 * Building blocks for other store backends (@gyro/store-redis): the typed-array key index and
 * the record replay every backend shares. Not the stable API of this package: the root entry is.
 */
export { KeyIndex, LIVE } from './orbit-store/key-index.js';
export { applyRecordWords } from './orbit-store/replay.js';
export { entriesOf, forEachOfState, walkState } from './orbit-store/iterate.js';
