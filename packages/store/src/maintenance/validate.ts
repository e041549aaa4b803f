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
 * no torn tail, the sidecar current, no stale lock. Reads only; changes nothing.
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
          if (outOfRange++ < MAX_LISTED) issues.push(`record ${(offset + at) / RECORD_SIZE} has confidence bits 0x${((w >>> 8) & 0xffff).toString(16)} outside [0, 1]`);
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
    const store = OrbitStore.open(abs, { readOnly: true });
    sidecar = store.openInfo.sidecar;
    live = store.size;
    store.close();
    if (sidecar === 'stale' || sidecar === 'corrupt') issues.push(`sidecar is ${sidecar} (rebuilt from the log by the next writer)`);
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
