import { closeSync, existsSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { StoreIOError } from '../errors.js';
import { EntryDigest } from '../orbit-store/digest.js';
import { metaPathOf } from '../orbit-store/meta.js';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { removeSidecar, sidecarPathOf } from '../orbit-store/sidecar.js';

/** The digest of a store's live entries as its index holds them. */
export function digestOfStore(store: OrbitStore): EntryDigest {
  const d = new EntryDigest();
  store.forEachEntry((state, token, mask, bits) => d.add(state, token, (mask << 16) | bits));
  return d;
}

/** The digest of the live entries of the log at `path`, replayed from the file alone (no sidecar). */
export function digestOfLog(path: string): EntryDigest {
  const store = OrbitStore.open(path, { readOnly: true, sidecar: false });
  try {
    return digestOfStore(store);
  } finally {
    store.close();
  }
}

/**
 * Put a store file back to its first `bytes` bytes (an append-only log that was only appended
 * to is then what it was, and a sidecar of it describes it again), or remove it, its sidecar
 * and its addressing marker when it did not exist before.
 */
export function restoreLog(path: string, bytes: number | undefined): void {
  try {
    if (bytes === undefined) {
      for (const file of [path, metaPathOf(path)]) if (existsSync(file)) unlinkSync(file);
      removeSidecar(sidecarPathOf(path));
    } else {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
    }
  } catch (err) {
    throw new StoreIOError(path, 'restore', err);
  }
}
