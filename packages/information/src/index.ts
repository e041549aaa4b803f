export { GyroError } from './errors.js';
export type { InformationEngine } from './engine/types.js';
export { roundHalfEven } from './physics/rounding.js';
export { doubleToHalfBits, halfBitsToDouble } from './physics/half.js';
