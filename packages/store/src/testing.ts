export { runStoreContractSuite, tempStoreDir } from './testing/contract-suite.js';
export type { SeedEntry, StoreCapabilities, StoreFactory } from './testing/contract-suite.js';
