import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { halfBitsToDouble } from '@gyro/information/internals';
import { confFromHalfBits } from '../conf.js';
import type { PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError, StoreIOError, StoreVerifyError } from '../errors.js';
import { EntryDigest } from '../orbit-store/digest.js';
import { OrbitStore, type KeepEntry } from '../orbit-store/OrbitStore.js';
import { elapsedSince, type MaintenanceReport } from './report.js';
import { digestOfLog, restoreLog } from './verify.js';

export interface CompactOptions {
  /** Write the compacted store to this (new or empty) file instead of replacing the log in place. */
  output?: string | undefined;
}

export interface CompactReport extends MaintenanceReport {
  recordsBefore: number;
  recordsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  output: string;
}

interface Rewritten {
  recordsBefore: number;
  recordsAfter: number;
  removed: number;
  bytesBefore: number;
  bytesAfter: number;
  output: string;
}

/**
 * Keep the live entries `keep` accepts, in place (under the writer lock; OrbitStore.rewrite
 * checks the new log before it renames it over the old) or into `output`, which is read back
 * and must hold exactly the entries kept, or is removed (StoreVerifyError).
 */
function rewriteStore(path: string, output: string | undefined, keep: KeepEntry | undefined): Rewritten {
  if (output === undefined || resolve(output) === resolve(path)) {
    const store = OrbitStore.open(path);
    try {
      return { ...store.rewrite(keep), output: store.path };
    } finally {
      store.close();
    }
  }
  const source = OrbitStore.open(path, { readOnly: true });
  try {
    // The output keeps the source's addressing (an output holding records of the other is refused).
    const existed = existsSync(output);
    const dest = OrbitStore.open(output, { writeThreshold: 4096, sidecar: false, addressing: source.addressing });
    let refused: StoreVerifyError | undefined;
    try {
      if (dest.size > 0) throw new StoreIOError(dest.path, 'compact into', new Error('the output store is not empty'));
      let removed = 0;
      const kept = new EntryDigest();
      for (const [state, token, mask] of source.iterEntries()) {
        const bits = source.getPacked(state, token) & 0xffff;
        // The exact half value re-quantises to the same bits.
        if (!keep || keep(state, token, mask, bits)) {
          dest.put(state, token, mask, halfBitsToDouble(bits));
          kept.add(state, token, (mask << 16) | bits);
        } else removed++;
      }
      dest.flush();
      if (kept.count + removed !== source.size) refused = new StoreVerifyError(dest.path, `read ${kept.count + removed} entries of ${source.size}`);
      else if (!digestOfLog(dest.path).equals(kept)) refused = new StoreVerifyError(dest.path, 'the written store differs from the entries read');
      if (refused) throw refused;
      const s = source.stats();
      const d = dest.stats();
      return { recordsBefore: s.totalRecords, recordsAfter: d.totalRecords, removed, bytesBefore: s.fileBytes, bytesAfter: d.fileBytes, output: dest.path };
    } finally {
      dest.close();
      if (refused) restoreLog(dest.path, existed ? 0 : undefined);
    }
  } finally {
    source.close();
  }
}

/** Rewrite only live records (SPEC §4.3): superseded records and tombstones are dropped. */
export function compactStore(path: string, options: CompactOptions = {}): CompactReport {
  const t0 = performance.now();
  const r = rewriteStore(path, options.output, undefined);
  return {
    operation: 'compact',
    processed: r.recordsBefore,
    modified: r.recordsBefore - r.recordsAfter,
    milliseconds: elapsedSince(t0),
    recordsBefore: r.recordsBefore,
    recordsAfter: r.recordsAfter,
    bytesBefore: r.bytesBefore,
    bytesAfter: r.bytesAfter,
    output: r.output,
  };
}

export interface PruneOptions extends CompactOptions {
  /** Entries whose confidence (as read) is below this are removed. */
  minConf: number;
  /** Write a JSON summary of the pruned entries here. */
  archivePath?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface PrunedEntry {
  state: number;
  token: number;
  mask: number;
  conf: number;
}

export interface PruneReport extends MaintenanceReport {
  minConf: number;
  dryRun: boolean;
  recordsBefore?: number;
  recordsAfter?: number;
  bytesBefore?: number;
  bytesAfter?: number;
  archivePath?: string;
}

/**
 * Remove entries whose confidence is below `minConf`. Given a path, the file is compacted in
 * the same pass (only kept live records remain); given an open store, the entries are deleted
 * from it. processed = live entries examined, modified = entries removed.
 */
export function pruneStore(target: string | PhenotypeStore, options: PruneOptions): PruneReport {
  const t0 = performance.now();
  const { minConf, dryRun = false, archivePath } = options;
  if (!(minConf >= 0 && minConf <= 1)) throw new InvalidPhenotypeError(`prune threshold ${minConf} must be in [0, 1]`);
  const pruned: PrunedEntry[] = [];
  let processed = 0;
  const keep: KeepEntry = (state, token, mask, confBits) => {
    processed++;
    const conf = confFromHalfBits(confBits);
    if (conf >= minConf) return true;
    pruned.push({ state, token, mask, conf });
    return false;
  };
  let report: PruneReport = { operation: 'prune', processed: 0, modified: 0, milliseconds: 0, minConf, dryRun };
  if (typeof target === 'string' && !dryRun) {
    const r = rewriteStore(target, options.output, keep);
    report = { ...report, recordsBefore: r.recordsBefore, recordsAfter: r.recordsAfter, bytesBefore: r.bytesBefore, bytesAfter: r.bytesAfter };
  } else {
    const store = typeof target === 'string' ? OrbitStore.open(target, { readOnly: true }) : target;
    try {
      for (const [state, token, mask] of store.iterEntries()) keep(state, token, mask, store.getPacked(state, token) & 0xffff);
      if (!dryRun) {
        for (const e of pruned) store.delete(e.state, e.token);
        store.commit();
      }
    } finally {
      if (typeof target === 'string') store.close();
    }
  }
  if (archivePath) {
    try {
      mkdirSync(dirname(resolve(archivePath)), { recursive: true });
      writeFileSync(archivePath, `${JSON.stringify({ criteria: { minConf }, generatedAt: new Date().toISOString(), dryRun, pruned })}\n`);
    } catch (err) {
      throw new StoreIOError(archivePath, 'write the prune archive', err);
    }
    report.archivePath = archivePath;
  }
  return { ...report, processed, modified: pruned.length, milliseconds: elapsedSince(t0) };
}
