export type { Phenotype, PhenotypeStore } from './contract.js';
