import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runProcess } from '@gyro/tooling/run';
import { confFromHalfBits, confToHalfBits } from '../conf.js';
import { StoreIOError, StoreLockedError } from '../errors.js';
import { validateStore } from '../maintenance/validate.js';
import { tempStoreDir } from '../testing.js';
import { lockPathOf } from './lock.js';
import { OrbitStore } from './OrbitStore.js';

// Real files and real child processes (test/fault-child.ts run through tsx).
const PKG = resolve(__dirname, '../..');
const CHILD = ['--import', 'tsx', 'test/fault-child.ts'];
const dir = tempStoreDir('gyro-store-faults-');
let n = 0;
const newPath = () => join(dir, `f${n++}.bin`);
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(mode: string, path: string, arg?: string): ChildProcess {
  const child = spawn(process.execPath, [...CHILD, mode, path, ...(arg ? [arg] : [])], { cwd: PKG, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}
async function run(mode: string, path: string, shellPrefix = ''): Promise<string> {
  const cmd = `${shellPrefix}exec "${process.execPath}" ${CHILD.join(' ')} ${mode} "${path}"`;
  const r = await runProcess('bash', ['-c', cmd], { cwd: PKG });
  if (r.code !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return r.stdout;
}
/** Resolve with the first stdout line matching `re` (and everything before it). */
function waitFor(child: ChildProcess, re: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    let text = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`no ${re} from child within ${ms} ms: ${text} ${err}`)), ms);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      text += d;
      const lines = text.split('\n');
      for (let i = lines.length - 2; i >= 0; i--) {
        const m = lines[i]!.match(re);
        if (m) {
          clearTimeout(timer);
          ok(m);
          return;
        }
      }
    });
  });
}
const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) ok({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => ok({ code, signal }));
  });

/** Every entry must be exactly what the child writers put for its key, and keys 0..upTo-1 present. */
function expectWriterValues(store: OrbitStore, upTo: number): void {
  let missing = 0;
  let wrong = 0;
  for (let i = 0; i < upTo; i++) {
    if (store.getPacked(i % 1000, i) !== (((i & 0xfe) << 16) | confToHalfBits((i % 997) / 997))) missing++;
  }
  for (const [s, t, m, c] of store.iterEntries()) {
    if (s !== t % 1000 || m !== (t & 0xfe) || c !== confFromHalfBits(confToHalfBits((t % 997) / 997))) wrong++;
  }
  expect({ missing, wrong }).toEqual({ missing: 0, wrong: 0 });
}

describe('faults with real processes', () => {
  it('kill -9 during a write batch: reopening finds every flushed record and nothing corrupt', async () => {
    const path = newPath();
    const child = start('writer', path, '37'); // 37 records per batch: batches straddle the flushes
    const m = await waitFor(child, /^flushed (\d+)$/);
    const m2 = await waitFor(child, new RegExp(`^flushed ${Number(m[1]) + 3000}$`));
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');
    const flushed = Number(m2[0].split(' ')[1]);
    expect(existsSync(lockPathOf(path))).toBe(true); // left behind by the killed writer
    const store = OrbitStore.open(path); // takes over the stale lock, cuts any torn tail
    expect(store.size).toBeGreaterThanOrEqual(flushed);
    expectWriterValues(store, flushed);
    store.close();
    expect(validateStore(path)).toMatchObject({ ok: true, unknownRecords: 0, tornTailBytes: 0, lock: 'none' });
  });

  it('a second writer process is refused with the holder named; readers are not', async () => {
    const path = newPath();
    const child = start('hold', path);
    await waitFor(child, /^ready$/);
    expect(() => OrbitStore.open(path)).toThrow(StoreLockedError);
    expect(() => OrbitStore.open(path)).toThrow(new RegExp(`by process ${child.pid}`));
    OrbitStore.open(path, { readOnly: true }).close();
    const mine = OrbitStore.open(newPath());
    const other = await run('try-open', mine.path);
    expect(other).toMatch(new RegExp(`^STORE_LOCKED store .* is already open for writing by process ${process.pid}`));
    mine.close();
    expect(await run('try-open', mine.path)).toBe('opened\n');
  });

  it('pending records are flushed when the process ends normally or by SIGTERM', async () => {
    const natural = newPath();
    expect(await run('exit-natural', natural)).toBe('done\n'); // an open store does not keep the process alive
    const a = OrbitStore.open(natural, { readOnly: true });
    expect(a.size).toBe(10);
    expectWriterValues(a, 10);
    a.close();
    expect(existsSync(lockPathOf(natural))).toBe(false);

    const signalled = newPath();
    const child = start('exit-signal', signalled);
    await waitFor(child, /^ready$/);
    expect(statSync(signalled).size).toBe(0);
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGTERM' }); // still dies by the signal
    const b = OrbitStore.open(signalled, { readOnly: true });
    expect(b.size).toBe(10);
    b.close();
    expect(existsSync(lockPathOf(signalled))).toBe(false);
  });

  it('a reader opened while a writer appends sees a consistent prefix and refreshes to more', async () => {
    const path = newPath();
    const child = start('writer', path, '7');
    await waitFor(child, /^flushed 2000$/);
    let last = 0;
    for (let k = 0; k < 5; k++) {
      const reader = OrbitStore.open(path, { readOnly: true });
      const stats = reader.stats();
      expect(stats.fileBytes % 12).toBe(0);
      expect(reader.size).toBe(stats.totalRecords); // every key is written once: one record, one entry
      expect(reader.size).toBeGreaterThanOrEqual(last);
      expectWriterValues(reader, reader.size); // keys are written in order: what a reader sees is a prefix
      await new Promise((r) => setTimeout(r, 50));
      const more = reader.refresh();
      expect(reader.size).toBe(stats.totalRecords + more);
      last = reader.size;
      reader.close();
    }
    child.kill('SIGKILL');
    await exited(child);
  });

  it('a write error (file size limit) surfaces, keeps the file whole, and the store stays consistent', async () => {
    const path = newPath();
    const out = await run('file-size-limit', path, 'ulimit -f 2; '); // 2 KiB: 170 whole records fit
    const report = JSON.parse(out.split('\n')[0]!);
    expect(report.error).toBe('STORE_IO');
    expect(report.retry).toBe('STORE_IO');
    // The put whose batch failed is applied in memory and stays pending (a later commit retries it).
    expect(report.size).toBe(report.ok + 1);
    expect(report.stats.fileBytes).toBe(170 * 12);
    expect(out).toMatch(/^close STORE_IO$/m);
    expect(statSync(path).size).toBe(170 * 12); // the partial record written before EFBIG was cut off
    const store = OrbitStore.open(path, { readOnly: true });
    expect(store.size).toBe(170);
    expectWriterValues(store, 170);
    store.close();
  });

  it('a store path that cannot be created is a clear error and leaves nothing behind', () => {
    const file = newPath();
    writeFileSync(file, '');
    expect(() => OrbitStore.open(join(file, 'knowledge.bin'))).toThrow(StoreIOError);
    expect(() => OrbitStore.open(join(file, 'knowledge.bin'))).toThrow(/cannot create the folder/);
    expect(() => OrbitStore.open(newPath(), { readOnly: true })).toThrow(/cannot open .*: no such file/);
    expect(() => OrbitStore.open(dir)).toThrow(StoreIOError); // a folder is not a store
    expect(existsSync(lockPathOf(dir))).toBe(false);
  });
});

describe('a full disk (a 1 MiB tmpfs) leaves no temporary file behind', () => {
  const mount = join(dir, 'tiny');
  const mounted = (() => {
    if (process.getuid?.() !== 0) return false;
    spawnSync('mkdir', ['-p', mount]);
    return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]).status === 0;
  })();
  afterAll(() => {
    if (mounted) spawnSync('umount', [mount]);
  });

  it.skipIf(!mounted)('sidecar and compaction fail cleanly: no .tmp- or .rewrite- file, every record kept (needs root to mount tmpfs)', async () => {
    const path = join(mount, 'k.bin');
    const steps = (await run('full-disk', path))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Besides the log: its addressing marker, and the lock while it is open.
    const others = (files: string[]) => files.filter((f) => f !== 'k.bin' && f !== 'k.bin.meta.json');
    expect(steps[0].step).toBe('close');
    expect(others(steps[0].files)).toEqual([]); // the sidecar did not fit; its temporary file is gone
    expect(steps[1]).toMatchObject({ step: 'rewrite', error: 'STORE_IO', size: 45_000 });
    expect(others(steps[1].files)).toEqual(['k.bin.lock']); // no .rewrite- file
    expect(steps[1].message).toMatch(/ENOSPC|no space/i);
    expect(steps[2].step).toBe('end');
    expect(others(steps[2].files)).toEqual([]);
    expect(statSync(path).size).toBe(45_000 * 12);
    const store = OrbitStore.open(path, { readOnly: true });
    expect(store.size).toBe(45_000);
    expectWriterValues(store, 45_000);
    store.close();
  });
});
