import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { halfBitsToDouble } from '@gyro/information/internals';
import { confFromHalfBits, confToHalfBits } from '../conf.js';
import { DEFAULT_ADDRESSING, type Addressing } from '../addressing.js';
import { AddressingMismatchError, InvalidPhenotypeError, StoreVerifyError } from '../errors.js';
import { readAddressing } from '../orbit-store/meta.js';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { elapsedSince, type MaintenanceReport } from './report.js';
import { digestOfLog, digestOfStore, restoreLog } from './verify.js';

/**
 * Conflict policies (SPEC §4.3) for a key present in more than one store:
 * - 'highest': the entry with the highest confidence (the earlier one on a tie);
 * - 'or': masks OR-ed, the highest confidence;
 * - 'newest': the entry from the store given last (stores carry no timestamps; the reference
 *   used confidence as a stand-in, which is just 'highest' again);
 * - 'weighted': confidence-weighted mean of the confidences (Σc²/Σc, 0 when both are 0), masks OR-ed.
 */
export type MergePolicy = 'highest' | 'or' | 'newest' | 'weighted';
export const MERGE_POLICIES: readonly MergePolicy[] = ['highest', 'or', 'newest', 'weighted'];

export interface MergeOptions {
  policy?: MergePolicy | undefined;
}

export interface MergeReport extends MaintenanceReport {
  policy: MergePolicy;
  sources: string[];
  destination: string;
  /** Keys found in more than one store. */
  conflicts: number;
  /** Live entries in the destination afterwards. */
  entries: number;
}

/**
 * Merge stores into `destination` (SPEC §4.3). If the destination already holds entries they
 * take part as the oldest store. The destination is written under its writer lock, so merging
 * into a store in use fails cleanly. Before it finishes, the destination's log is replayed and
 * must hold exactly the merged entries; otherwise it is cut back to what it was
 * (StoreVerifyError). processed = entries read from the sources, modified =
 * destination entries written or changed.
 */
export function mergeStores(sources: string[], destination: string, options: MergeOptions = {}): MergeReport {
  const t0 = performance.now();
  const policy = options.policy ?? 'highest';
  if (!MERGE_POLICIES.includes(policy)) throw new InvalidPhenotypeError(`merge policy ${policy} is not one of ${MERGE_POLICIES.join(', ')}`);
  const dest = resolve(destination);
  for (const s of sources) {
    if (resolve(s) === dest) throw new InvalidPhenotypeError(`merge source ${s} is also the destination`);
    if (!existsSync(s)) throw new InvalidPhenotypeError(`merge source ${s} does not exist`);
  }
  // Keys of one addressing mean nothing in the other: every source must share the destination's,
  // checked before anything is written.
  const addressing = sources.length > 0 ? addressingOfFile(sources[0]!) : undefined;
  for (const s of sources) {
    const a = addressingOfFile(s);
    if (a !== addressing) throw new AddressingMismatchError(`merge source ${s}`, a, addressing!);
  }
  // No sidecar written: the old one still describes the log's untouched prefix, so a refused
  // merge (cut back below) leaves the store exactly as it was.
  const existed = existsSync(dest);
  const out = OrbitStore.open(dest, { writeThreshold: 4096, sidecar: false, ...(addressing === undefined ? {} : { addressing }) });
  const before = { bytes: out.stats().fileBytes, entries: out.size };
  let processed = 0;
  let conflicts = 0;
  let modified = 0;
  let added = 0;
  let refused: StoreVerifyError | undefined;
  try {
    for (const path of sources) {
      const src = OrbitStore.open(path, { readOnly: true, addressing: out.addressing });
      try {
        for (const [state, token, mask] of src.iterEntries()) {
          processed++;
          const bits = src.getPacked(state, token) & 0xffff;
          const had = out.getPacked(state, token);
          if (had < 0) {
            out.put(state, token, mask, halfBitsToDouble(bits));
            modified++;
            added++;
            continue;
          }
          conflicts++;
          const [m, c] = resolveConflict(policy, had >>> 16, had & 0xffff, mask, bits);
          if (m !== had >>> 16 || confToHalfBits(c) !== (had & 0xffff)) {
            out.put(state, token, m, c);
            modified++;
          }
        }
      } finally {
        src.close();
      }
    }
    out.flush();
    // Every key read is held once, and the file holds what the index holds.
    if (out.size !== before.entries + added)
      refused = new StoreVerifyError(out.path, `merge refused: ${out.size} entries where ${before.entries} + ${added} new were expected`);
    else if (!digestOfLog(out.path).equals(digestOfStore(out)))
      refused = new StoreVerifyError(out.path, 'merge refused: the written log differs from the merged entries');
    if (refused) throw refused;
    return {
      operation: 'merge',
      processed,
      modified,
      milliseconds: elapsedSince(t0),
      policy,
      sources,
      destination: out.path,
      conflicts,
      entries: out.size,
    };
  } finally {
    out.close();
    if (refused) restoreLog(out.path, existed ? before.bytes : undefined);
  }
}

/** The addressing a store file records, read without loading its index. */
function addressingOfFile(path: string): Addressing {
  return readAddressing(resolve(path)) ?? DEFAULT_ADDRESSING;
}

/** [mask, conf] for a key held before (a) and by the next store (b); confidences as read. */
function resolveConflict(policy: MergePolicy, ma: number, ba: number, mb: number, bb: number): [number, number] {
  const ca = confFromHalfBits(ba);
  const cb = confFromHalfBits(bb);
  switch (policy) {
    case 'highest':
      return cb > ca ? [mb, halfBitsToDouble(bb)] : [ma, halfBitsToDouble(ba)];
    case 'newest':
      return [mb, halfBitsToDouble(bb)];
    case 'or':
      return [ma | mb, halfBitsToDouble(cb > ca ? bb : ba)];
    case 'weighted': {
      const sum = ca + cb;
      return [ma | mb, sum === 0 ? 0 : Math.min(1, (ca * ca + cb * cb) / sum)];
    }
  }
}
