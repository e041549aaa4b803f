export { GyroError } from './errors.js';
export type { InformationEngine } from './engine/types.js';
