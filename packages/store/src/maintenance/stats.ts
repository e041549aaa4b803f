import { confFromHalfBits } from '../conf.js';
import { OrbitStore, type OrbitStoreStats } from '../orbit-store/OrbitStore.js';
import { elapsedSince, type MaintenanceReport } from './report.js';

export interface StoreStatsReport extends MaintenanceReport, Omit<OrbitStoreStats, 'pendingRecords'> {
  /** Mean confidence (as read) of the live entries; 0 for an empty store. */
  meanConf: number;
  /** Live entries per tenth of confidence: [0, 0.1), …, [0.9, 1]. */
  confHistogram: number[];
  /** Live entries with each mask bit set (bit 0 first). */
  maskBits: number[];
}

/** Statistics of a store file, read-only (a torn tail is reported, not cut). */
export function storeStats(path: string): StoreStatsReport {
  const t0 = performance.now();
  const store = OrbitStore.open(path, { readOnly: true });
  try {
    const confHistogram = new Array<number>(10).fill(0);
    const maskBits = new Array<number>(8).fill(0);
    let sum = 0;
    store.forEachEntry((_state, _token, mask, confBits) => {
      const conf = confFromHalfBits(confBits);
      sum += conf;
      confHistogram[Math.min(9, Math.floor(conf * 10))]!++;
      for (let b = 0; b < 8; b++) if (mask & (1 << b)) maskBits[b]!++;
    });
    const { pendingRecords: _, ...stats } = store.stats();
    return {
      operation: 'stats',
      processed: stats.totalRecords,
      modified: 0,
      milliseconds: elapsedSince(t0),
      ...stats,
      meanConf: stats.liveEntries ? sum / stats.liveEntries : 0,
      confHistogram,
      maskBits,
    };
  } finally {
    store.close();
  }
}
