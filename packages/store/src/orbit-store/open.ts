import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, StoreIOError } from '../errors.js';
import { RECORD_SIZE } from '../record.js';
import { KeyIndex } from './key-index.js';
import { acquireLock, releaseLock } from './lock.js';
import type { Addressing } from '../addressing.js';
import { settleAddressing } from './meta.js';
import { replayLog } from './replay.js';
import { readSidecar, sidecarPathOf, type SidecarRead } from './sidecar.js';
import type { OrbitStoreOpenInfo, OrbitStoreOptions } from './types.js';

/** What opening a store file yields: the file, its lock and the index of its log. */
export interface OpenedLog {
  fd: number;
  lockPath: string | undefined;
  index: KeyIndex;
  /** Bytes of whole records in the file. */
  fileBytes: number;
  totalRecords: number;
  tombstoneRecords: number;
  /** The sidecar on disk describes exactly this log (nothing replayed after it). */
  sidecarCurrent: boolean;
  openInfo: OrbitStoreOpenInfo;
  /** What the store's marker records (see meta.ts), checked against what the caller asked for. */
  addressing: Addressing;
}

/**
 * Open (creating it when writable) the log at `path`, take the writer lock unless read-only,
 * and build its index: from the sidecar plus the records appended after it, or from the whole
 * log. A writer cuts off a torn tail. On any failure the file is closed and the lock released.
 */
export function openLog(path: string, options: OrbitStoreOptions, t0: number): OpenedLog {
  const readOnly = options.readOnly ?? false;
  let fd: number;
  let lockPath: string | undefined;
  if (readOnly) {
    if (!existsSync(path)) throw new StoreIOError(path, 'open', new Error('no such file'));
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw new StoreIOError(path, 'open', err);
    }
  } else {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new StoreIOError(dirname(path), 'create the folder', err);
    }
    lockPath = acquireLock(path, options.deadThreads);
    try {
      fd = openSync(path, 'a+');
    } catch (err) {
      releaseLock(lockPath);
      throw new StoreIOError(path, 'open for writing', err);
    }
  }
  try {
    return { fd, lockPath, ...indexLog(fd, path, options, t0) };
  } catch (err) {
    closeSync(fd);
    if (lockPath) releaseLock(lockPath);
    throw err instanceof StoreError ? err : new StoreIOError(path, 'read', err);
  }
}

function indexLog(fd: number, path: string, options: OrbitStoreOptions, t0: number): Omit<OpenedLog, 'fd' | 'lockPath'> {
  const size = fstatSync(fd).size;
  const whole = size - (size % RECORD_SIZE);
  if (whole !== size && !options.readOnly) ftruncateSync(fd, whole);
  const addressing = settleAddressing(path, options.addressing, whole, !options.readOnly);
  const loaded: SidecarRead = options.sidecar === false ? { status: 'disabled' } : readSidecar(sidecarPathOf(path), fd, whole);
  if (loaded.reason !== undefined) {
    const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, { code: 'GYRO_STORE_SIDECAR' }));
    warn(`store ${path}: ignoring its sidecar ${sidecarPathOf(path)} (${loaded.status}: ${loaded.reason}); rebuilding the index from the log`);
  }
  let from = 0;
  let index: KeyIndex;
  let totalRecords = 0;
  let tombstoneRecords = 0;
  if (loaded.content) {
    index = new KeyIndex(0, loaded.content.image);
    from = loaded.content.log.bytes;
    totalRecords = loaded.content.totalRecords;
    tombstoneRecords = loaded.content.tombstoneRecords;
  } else index = new KeyIndex(whole / RECORD_SIZE);
  const replayed = replayLog(fd, path, from, whole, index, false); // no versions handed out yet
  if (!loaded.content) index.trim();
  return {
    addressing,
    index,
    fileBytes: whole,
    totalRecords: totalRecords + replayed.records,
    tombstoneRecords: tombstoneRecords + replayed.tombstones,
    sidecarCurrent: loaded.status === 'loaded' && replayed.records === 0,
    openInfo: {
      source: loaded.content ? 'sidecar' : whole === 0 ? 'empty' : 'log',
      sidecar: loaded.status,
      ...(loaded.reason === undefined ? {} : { sidecarReason: loaded.reason }),
      replayedRecords: replayed.records,
      tornTailBytes: size - whole,
      milliseconds: performance.now() - t0,
    },
  };
}
