import type { Addressing } from '../addressing.js';
import type { SidecarStatus } from './sidecar.js';

export interface OrbitStoreOptions {
  /** Records buffered before they are written to the file (default 100). */
  writeThreshold?: number | undefined;
  /** Open without the writer lock; every write throws ReadOnlyStoreError. */
  readOnly?: boolean | undefined;
  /** Use and maintain the `.gidx` sidecar (default true). */
  sidecar?: boolean | undefined;
  /**
   * The addressing the caller expects (default: whatever the store records). A store holding
   * records with the other one is refused (AddressingMismatchError); a writer opening a store
   * without records records this one (see meta.ts).
   */
  addressing?: Addressing | undefined;
  /**
   * Told why a damaged or stale sidecar was ignored (the index is then rebuilt from the log).
   * Default: `process.emitWarning` with code `GYRO_STORE_SIDECAR`.
   */
  onWarning?: ((message: string) => void) | undefined;
  /**
   * Worker thread ids of this process known to have died: a lock one of them left is taken
   * over (a server that replaces a crashed worker reopens its stores; see lock.ts).
   */
  deadThreads?: ReadonlySet<number> | undefined;
}

/** How the index was built when the store opened. */
export interface OrbitStoreOpenInfo {
  /** 'sidecar': loaded from the sidecar (plus any records appended after it); 'log': rebuilt by reading the log. */
  source: 'empty' | 'log' | 'sidecar';
  sidecar: SidecarStatus;
  /** Why a 'stale' or 'corrupt' sidecar was ignored. */
  sidecarReason?: string;
  /** Records read from the log (all of them, or only those after the sidecar). */
  replayedRecords: number;
  /** Bytes of a partial last record: cut off by a writer, ignored by a reader. */
  tornTailBytes: number;
  milliseconds: number;
}

/** Decides, during a rewrite, whether a live entry is kept. */
export type KeepEntry = (state: number, token: number, mask: number, confBits: number) => boolean;

export interface RewriteResult {
  recordsBefore: number;
  recordsAfter: number;
  /** Live entries the filter dropped. */
  removed: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface OrbitStoreStats {
  path: string;
  liveEntries: number;
  /** Records in the log, superseded ones and tombstones included (pending ones too). */
  totalRecords: number;
  tombstoneRecords: number;
  distinctStates: number;
  /** Bytes of whole records in the file (pending records not yet written excluded). */
  fileBytes: number;
  tornTailBytes: number;
  pendingRecords: number;
  indexBytes: number;
  sidecar: SidecarStatus;
  openedFrom: OrbitStoreOpenInfo['source'];
  addressing: Addressing;
}
