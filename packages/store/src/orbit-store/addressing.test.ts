import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressingOf } from '../addressing.js';
import { AddressingMismatchError, CorruptStoreError } from '../errors.js';
import { compactStore } from '../maintenance/compact.js';
import { mergeStores } from '../maintenance/merge.js';
import { storeStats } from '../maintenance/stats.js';
import { validateStore } from '../maintenance/validate.js';
import { tempStoreDir } from '../testing.js';
import { CanonicalView } from '../views/CanonicalView.js';
import { OverlayView } from '../views/OverlayView.js';
import { ReadOnlyView } from '../views/ReadOnlyView.js';
import { lockPathOf } from './lock.js';
import { metaPathOf } from './meta.js';
import { OrbitStore } from './OrbitStore.js';

const dir = tempStoreDir('gyro-addressing-');
let n = 0;
const pathOf = () => join(dir, `a${n++}.bin`);

/** A store at a new path with one record, written with `addressing`. */
function withRecord(addressing?: 'canonical' | 'state'): string {
  const path = pathOf();
  const s = OrbitStore.open(path, addressing === undefined ? {} : { addressing });
  s.put(12, 2023, 0, 0.5);
  s.close();
  return path;
}

describe('addressing of an OrbitStore', () => {
  it('is recorded beside the log at creation and kept on reopening', () => {
    const plain = withRecord();
    expect(JSON.parse(readFileSync(metaPathOf(plain), 'utf8'))).toEqual({ format: 'gyro-store-meta', addressing: 'canonical' });
    const state = withRecord('state');
    expect(JSON.parse(readFileSync(metaPathOf(state), 'utf8')).addressing).toBe('state');
    const reopened = OrbitStore.open(state, { readOnly: true });
    expect(reopened.addressing).toBe('state');
    expect(addressingOf(reopened)).toBe('state');
    expect(reopened.stats().addressing).toBe('state');
    reopened.close();
    expect(statSync(state).size).toBe(12); // the record format is unchanged: 12 bytes a record
  });

  it('refuses the other addressing, for readers and writers, and changes nothing', () => {
    const path = withRecord('state');
    const before = readFileSync(path);
    expect(() => OrbitStore.open(path, { readOnly: true, addressing: 'canonical' })).toThrow(AddressingMismatchError);
    let error: unknown;
    try {
      OrbitStore.open(path, { addressing: 'canonical' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AddressingMismatchError);
    expect((error as AddressingMismatchError).code).toBe('STORE_ADDRESSING_MISMATCH');
    expect((error as Error).message).toMatch(`store ${path} is keyed by state addressing, not canonical (open it with --addressing state`);
    expect(existsSync(lockPathOf(path))).toBe(false); // the refused writer released its lock
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(metaPathOf(path), 'utf8')).addressing).toBe('state');
    OrbitStore.open(path, { addressing: 'state' }).close(); // the right one opens
  });

  it('reads a log without a marker (the reference wrote it) as canonical, and refuses state for it', () => {
    const path = withRecord();
    writeFileSync(metaPathOf(path), ''); // damaged, then removed below
    expect(() => OrbitStore.open(path, { readOnly: true })).toThrow(CorruptStoreError);
    expect(validateStore(path).ok).toBe(false);
    expect(validateStore(path).addressing).toBe('unreadable');
    rmSync(metaPathOf(path));
    const s = OrbitStore.open(path);
    expect(s.addressing).toBe('canonical');
    s.close();
    expect(existsSync(metaPathOf(path))).toBe(false); // a store with records gets no marker after the fact
    expect(() => OrbitStore.open(path, { addressing: 'state' })).toThrow(AddressingMismatchError);
    expect(validateStore(path)).toMatchObject({ ok: true, addressing: 'canonical' });
  });

  it('lets a writer choose again while the store holds no record', () => {
    const path = pathOf();
    OrbitStore.open(path).close(); // created empty: canonical
    const s = OrbitStore.open(path, { addressing: 'state' });
    expect(s.addressing).toBe('state');
    s.put(1, 2, 0, 0.1);
    s.close();
    expect(() => OrbitStore.open(path, { addressing: 'canonical' })).toThrow(AddressingMismatchError);
    expect(storeStats(path).addressing).toBe('state');
  });
});

describe('views and maintenance follow the addressing', () => {
  it('refuses to overlay a private store on a public store of the other addressing', () => {
    const pub = OrbitStore.open(withRecord('state'), { readOnly: true });
    const canonicalPrivate = OrbitStore.open(pathOf());
    expect(() => new OverlayView(new ReadOnlyView(pub), canonicalPrivate)).toThrow(
      /private store laid over a state-addressed public store is keyed by canonical addressing, not state/,
    );
    canonicalPrivate.close();
    const statePrivate = OrbitStore.open(pathOf(), { addressing: 'state' });
    const view = new OverlayView(new ReadOnlyView(pub), statePrivate);
    expect(view.addressing).toBe('state');
    expect(view.getPacked(12, 2023)).toBeGreaterThanOrEqual(0);
    view.close();
    expect(() => new CanonicalView(pub, new Int32Array(16))).toThrow(AddressingMismatchError);
    pub.close();
  });

  it('merge refuses sources of mixed addressing before writing anything; compact keeps the addressing', () => {
    const a = withRecord('state');
    const b = withRecord('canonical');
    const dest = pathOf();
    expect(() => mergeStores([a, b], dest)).toThrow(AddressingMismatchError);
    expect(existsSync(dest)).toBe(false);
    const canonicalDest = withRecord('canonical');
    expect(() => mergeStores([a], canonicalDest)).toThrow(AddressingMismatchError);
    expect(statSync(canonicalDest).size).toBe(12);
    expect(mergeStores([a], dest).entries).toBe(1);
    expect(storeStats(dest).addressing).toBe('state');
    const out = pathOf();
    compactStore(a, { output: out });
    expect(storeStats(out).addressing).toBe('state');
  });
});
