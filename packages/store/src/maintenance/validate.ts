import { closeSync, fstatSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_ADDRESSING, type Addressing } from '../addressing.js';
import { StoreIOError } from '../errors.js';
import { metaPathOf, readAddressing } from '../orbit-store/meta.js';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { lockStatus } from '../orbit-store/lock.js';
import { recordChunks } from '../orbit-store/replay.js';
import { LIVE_PAD, RECORD_SIZE, TOMBSTONE_PAD } from '../record.js';
import type { SidecarStatus } from '../orbit-store/sidecar.js';
import { elapsedSince, type MaintenanceReport } from './report.js';

/**
 * Open the store as a reader would (through its sidecar) and compare that index with one built
 * from the log alone: the same live keys with the same values. Differences are added to `issues`.
 */
function checkIndexAgainstLog(path: string, issues: string[]): { sidecar: SidecarStatus; live: number } {
  let warning: string | undefined;
  const store = OrbitStore.open(path, { readOnly: true, onWarning: (m) => (warning = m) });
  try {
    const { sidecar, sidecarReason } = store.openInfo;
    if (sidecar === 'stale' || sidecar === 'corrupt') {
      issues.push(`sidecar is ${sidecar}: ${sidecarReason ?? warning} (ignored; the next writer rebuilds it from the log)`);
    }
    if (store.openInfo.source !== 'sidecar') return { sidecar, live: store.size };
    const replay = OrbitStore.open(path, { readOnly: true, sidecar: false });
    try {
      let differ = 0;
      replay.forEachEntry((state, token, mask, bits) => {
        const had = store.getPacked(state, token);
        const want = (mask << 16) | bits;
        if (had !== want && differ++ < MAX_LISTED) {
          const seen = had < 0 ? 'absent' : `mask ${had >>> 16} conf bits 0x${(had & 0xffff).toString(16)}`;
          issues.push(
            `index from the sidecar disagrees with the log at state ${state} token ${token}: ${seen}, the log says mask ${mask} conf bits 0x${bits.toString(16)}`,
          );
        }
      });
      if (differ > MAX_LISTED) issues.push(`… ${differ - MAX_LISTED} more keys where the sidecar's index disagrees with the log`);
      if (store.size !== replay.size) issues.push(`index from the sidecar holds ${store.size} live keys, a replay of the log ${replay.size}`);
    } finally {
      replay.close();
    }
    return { sidecar, live: store.size };
  } finally {
    store.close();
  }
}

export interface ValidateReport extends MaintenanceReport {
  path: string;
  ok: boolean;
  /** One line per problem found; empty when ok. */
  issues: string[];
  records: number;
  tombstoneRecords: number;
  liveEntries: number;
  fileBytes: number;
  tornTailBytes: number;
  /** Records whose pad byte is neither 0 (live) nor 0xFF (tombstone). */
  unknownRecords: number;
  /** Live records whose half confidence lies outside [0, 1] (NaN, negative, above 1). */
  confOutOfRange: number;
  sidecar: SidecarStatus | 'unreadable';
  lock: 'none' | 'held' | 'stale';
  /** What the `.meta.json` marker records (canonical without one); 'unreadable' when it is damaged. */
  addressing: Addressing | 'unreadable';
}

const MAX_LISTED = 10;

/**
 * Integrity check of a store file (SPEC §4.3): every record well-formed, confidences in range,
 * no torn tail, the sidecar intact and current, the index it gives equal to a replay of the whole
 * log (which is what finds a record changed in the middle of the log: an open trusts the
 * sidecar for the records it covers), no stale lock. Reads only; changes nothing.
 * processed = records checked.
 */
export function validateStore(path: string): ValidateReport {
  const t0 = performance.now();
  const abs = resolve(path);
  const issues: string[] = [];
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (err) {
    throw new StoreIOError(abs, 'open', err);
  }
  let records = 0;
  let tombstones = 0;
  let unknown = 0;
  let outOfRange = 0;
  let size = 0;
  try {
    size = fstatSync(fd).size;
    for (const { view, bytes, offset } of recordChunks(fd, 0, size - (size % RECORD_SIZE))) {
      for (let at = 0; at < bytes; at += RECORD_SIZE) {
        const w = view.getUint32(at + 8, true);
        const pad = w >>> 24;
        if (pad === TOMBSTONE_PAD) tombstones++;
        else if (pad !== LIVE_PAD) {
          if (unknown++ < MAX_LISTED) issues.push(`record ${(offset + at) / RECORD_SIZE} (byte ${offset + at}) has unknown pad byte 0x${pad.toString(16)}`);
        } else if (((w >>> 8) & 0xffff) > 0x3c00) {
          if (outOfRange++ < MAX_LISTED)
            issues.push(`record ${(offset + at) / RECORD_SIZE} has confidence bits 0x${((w >>> 8) & 0xffff).toString(16)} outside [0, 1]`);
        }
      }
      records += bytes / RECORD_SIZE;
    }
  } finally {
    closeSync(fd);
  }
  if (unknown > MAX_LISTED) issues.push(`… ${unknown - MAX_LISTED} more records with unknown pad bytes`);
  if (outOfRange > MAX_LISTED) issues.push(`… ${outOfRange - MAX_LISTED} more confidences outside [0, 1]`);
  const torn = size % RECORD_SIZE;
  if (torn) issues.push(`torn tail: the last ${torn} bytes are a partial record (a writer cuts them off on open)`);

  let addressing: ValidateReport['addressing'] = 'unreadable';
  try {
    addressing = readAddressing(abs) ?? DEFAULT_ADDRESSING;
  } catch (err) {
    issues.push(`addressing marker ${metaPathOf(abs)}: ${err instanceof Error ? err.message : String(err)}`);
  }

  let sidecar: ValidateReport['sidecar'] = 'unreadable';
  let live = 0;
  if (unknown === 0 && addressing !== 'unreadable') {
    const checked = checkIndexAgainstLog(abs, issues);
    sidecar = checked.sidecar;
    live = checked.live;
  }

  const held = lockStatus(abs);
  const lock = held.status;
  if (lock === 'stale') issues.push(`stale lock ${held.lockPath} (process ${held.pid} is gone; the next writer takes it over)`);

  return {
    operation: 'validate',
    processed: records,
    modified: 0,
    milliseconds: elapsedSince(t0),
    path: abs,
    ok: issues.length === 0,
    issues,
    records,
    tombstoneRecords: tombstones,
    liveEntries: live,
    fileBytes: size,
    tornTailBytes: torn,
    unknownRecords: unknown,
    confOutOfRange: outOfRange,
    sidecar,
    lock,
    addressing,
  };
}
