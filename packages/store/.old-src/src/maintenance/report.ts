import { OrbitStore } from '../orbit-store/OrbitStore.js';
import type { PhenotypeStore } from '../contract.js';

/** What every maintenance operation returns (SPEC §4.3). */
export interface MaintenanceReport {
  operation: string;
  /** Entries (or records) examined. */
  processed: number;
  /** Entries changed, removed or merged. */
  modified: number;
  milliseconds: number;
}

/**
 * Run `work` on a store given as a path (opened for writing, closed after) or as an open store
 * (left open, committed).
 */
export function withStore<T>(target: string | PhenotypeStore, work: (store: PhenotypeStore) => T): T {
  if (typeof target !== 'string') {
    const result = work(target);
    target.commit();
    return result;
  }
  const store = OrbitStore.open(target);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

export function elapsedSince(t0: number): number {
  return Math.round((performance.now() - t0) * 1000) / 1000;
}
