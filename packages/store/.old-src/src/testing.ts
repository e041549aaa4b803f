export { runStoreContractSuite, tempStoreDir } from './testing/contract-suite.js';
export type { SeedEntry, StoreFactory } from './testing/contract-suite.js';
