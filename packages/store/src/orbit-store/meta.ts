import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { DEFAULT_ADDRESSING, isAddressing, type Addressing } from '../addressing.js';
import { AddressingMismatchError, CorruptStoreError, StoreIOError } from '../errors.js';

/**
 * The store's marker file, `<store>.meta.json`: what the 12-byte records cannot say (their
 * format stays the reference's). Today it holds the addressing. A log without a marker was
 * written by the reference or before markers existed: canonical.
 */
export function metaPathOf(storePath: string): string {
  return `${storePath}.meta.json`;
}

const FORMAT = 'gyro-store-meta';

/** The addressing the marker records, undefined when there is no marker. */
export function readAddressing(storePath: string): Addressing | undefined {
  const path = metaPathOf(storePath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreIOError(path, 'read', err);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CorruptStoreError(path, 'the store marker is not JSON');
  }
  const addressing = (data as { addressing?: unknown } | null)?.addressing;
  if ((data as { format?: unknown } | null)?.format !== FORMAT || !isAddressing(addressing)) {
    throw new CorruptStoreError(path, `the store marker must be {"format":"${FORMAT}","addressing":"canonical"|"state"}`);
  }
  return addressing;
}

/** Write the marker (beside the log, renamed into place, fsynced). */
export function writeAddressing(storePath: string, addressing: Addressing): void {
  const path = metaPathOf(storePath);
  const partial = `${path}.partial`;
  try {
    const fd = openSync(partial, 'w');
    try {
      writeSync(fd, `${JSON.stringify({ format: FORMAT, addressing })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
  } catch (err) {
    throw new StoreIOError(path, 'write', err);
  }
}

/**
 * The addressing of the store at `storePath` whose log holds `logBytes` bytes, given what the
 * caller asked for (undefined: whatever the store has). A store with records keeps the
 * addressing it has; asking for the other one is an AddressingMismatchError. A writer opening a
 * store without a record (new, or still empty) records the addressing asked for, or the default.
 */
export function settleAddressing(storePath: string, requested: Addressing | undefined, logBytes: number, writable: boolean): Addressing {
  const recorded = readAddressing(storePath);
  if (logBytes > 0 || !writable) {
    const actual = recorded ?? (logBytes > 0 ? DEFAULT_ADDRESSING : (requested ?? DEFAULT_ADDRESSING));
    if (requested !== undefined && requested !== actual) throw new AddressingMismatchError(`store ${storePath}`, actual, requested);
    return actual;
  }
  const addressing = requested ?? recorded ?? DEFAULT_ADDRESSING;
  if (addressing !== recorded) writeAddressing(storePath, addressing);
  return addressing;
}
