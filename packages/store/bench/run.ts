// Benchmarks of @gyro/store (pnpm bench in packages/store). Stores are generated under
// .cache/bench/store (git-ignored) and removed afterwards.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { report } from '@gyro/tooling/bench';
import { cacheDir } from '@gyro/tooling/golden';
import { CanonicalView, OrbitStore, OverlayView, ReadOnlyView } from '../src/index.js';
import { STATES, randomKeys, writeLog } from './write-log.js';

const dir = join(cacheDir, 'bench', 'store');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
type Row = { id: string; figure: string; value: string; goal?: string; pass?: boolean };
const rows: Row[] = [];
const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} K` : x.toFixed(0));

/**
 * Wall time and CPU time (user + system) of fn. The machine these figures come from is shared
 * (other jobs keep its load above its core count), so the goals are judged on CPU time: what
 * the code costs when it runs. Both are reported.
 */
function timed<T>(fn: () => T): { ms: number; cpuMs: number; result: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, result };
}
const secs = (t: { ms: number; cpuMs: number }) => `${(t.cpuMs / 1000).toFixed(2)} s CPU (${(t.ms / 1000).toFixed(2)} s wall)`;
const rate = (n: number, t: { ms: number; cpuMs: number }) => `${fmt(n / (t.cpuMs / 1000))} ops/s CPU (${fmt(n / (t.ms / 1000))} wall)`;

function memoryRow(label: string, n: number, states = STATES): void {
  const path = join(dir, `mem-${n}-${states}.bin`);
  writeLog(path, n, states);
  const gc = () => {
    for (let k = 0; k < 3; k++) (globalThis as { gc?: () => void }).gc?.();
  };
  gc();
  const before = process.memoryUsage();
  const store = OrbitStore.open(path, { sidecar: false });
  gc();
  const after = process.memoryUsage();
  const index = store.stats().indexBytes / store.size;
  const process_ = (after.arrayBuffers - before.arrayBuffers + after.heapUsed - before.heapUsed) / store.size;
  const over = `${label} entries over ${states.toLocaleString('en')} states`;
  const key = `${label.replace(' ', '').toLowerCase()}-${states === STATES ? 'all' : states}`;
  // The aim (≤ 24 bytes) is at 10 M entries; at 1 M the figure is reported only.
  const judged = n >= 10_000_000 ? { goal: '≤ 24', pass: index <= 24 } : {};
  rows.push({ id: `index-bytes-${key}`, figure: `index bytes per entry, ${over}`, value: index.toFixed(1), ...judged });
  rows.push({ id: `memory-${key}`, figure: `process memory per entry (heap + array buffers), ${over}`, value: process_.toFixed(1) });
  store.close();
  rmSync(path, { force: true });
  rmSync(`${path}.gidx`, { force: true });
}

memoryRow('1 M', 1_000_000);
memoryRow('1 M', 1_000_000, 256);

// --- 10 M records: reopen, then warm get/put -------------------------------------------------
const N = 10_000_000;
const big = join(dir, 'ten-million.bin');
writeLog(big, N);
{
  const log = timed(() => OrbitStore.open(big)); // no sidecar yet: built from the log
  rows.push({ id: 'reopen-log', figure: 'reopen 10 M-record file from the log alone', value: secs(log), goal: '≤ 3 s', pass: log.cpuMs <= 3000 });
  const idx = log.result.stats().indexBytes / log.result.size;
  rows.push({ id: 'index-bytes-10m', figure: 'index bytes per entry, 10 M entries', value: idx.toFixed(1), goal: '≤ 24', pass: idx <= 24 });
  log.result.close(); // writes the sidecar
  // The same two opens in a child process with glibc's transparent huge pages for malloc: on
  // this VM the first touch of each fresh 4 KiB page is what a reopen mostly pays for. For
  // information only; the goals above are judged without the flag.
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'reopen-child.ts'), big], {
    env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`reopen-child failed: ${child.stderr}`);
  const huge = JSON.parse(child.stdout.trim().split('\n').pop()!) as { sidecarMs: number; logMs: number };
  const side = timed(() => OrbitStore.open(big));
  if (side.result.openInfo.source !== 'sidecar') throw new Error(`the sidecar was not used: ${side.result.openInfo.sidecar}`);
  rows.push({ id: 'reopen-sidecar', figure: 'reopen 10 M-record file with its sidecar', value: secs(side), goal: '≤ 1 s', pass: side.cpuMs <= 1000 });
  rows.push({
    id: 'reopen-huge-pages',
    figure: 'reopen with its sidecar / from the log, process run with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (read-only opens)',
    value: `${(huge.sidecarMs / 1000).toFixed(2)} s / ${(huge.logMs / 1000).toFixed(2)} s CPU`,
  });
  const store = side.result;

  // Random existing keys, generated up front so the loop measures the store only.
  const Q = 1 << 21;
  const { qs, qt, qc } = randomKeys(Q, N);
  let sink = 0;
  for (let k = 0; k < Q; k++) sink += store.getPacked(qs[k]!, qt[k]!); // warm up
  const best = <T>(rounds: number, fn: () => T) => {
    let top = timed(fn);
    for (let k = 1; k < rounds; k++) {
      const t = timed(fn);
      if (t.cpuMs < top.cpuMs) top = t;
    }
    return top;
  };
  const get = best(3, () => {
    for (let k = 0; k < Q; k++) sink += store.getPacked(qs[k]!, qt[k]!);
  });
  rows.push({
    id: 'get-packed',
    figure: 'get (getPacked), random existing keys, warm 10 M-entry store',
    value: rate(Q, get),
    goal: '≥ 5 M ops/s',
    pass: Q / (get.cpuMs / 1000) >= 5e6,
  });
  const getObj = best(2, () => {
    for (let k = 0; k < Q; k++) sink += store.get(qs[k]!, qt[k]!)?.conf ?? 0;
  });
  rows.push({ id: 'get-object', figure: 'get (object result), random existing keys, warm 10 M-entry store', value: rate(Q, getObj) });
  const put = best(3, () => {
    for (let k = 0; k < Q; k++) store.put(qs[k]!, qt[k]!, k & 0xfe, qc[k]!);
    store.commit();
  });
  rows.push({
    id: 'put',
    figure: 'put (overwrite, record appended, threshold 100), random keys, warm 10 M-entry store',
    value: rate(Q, put),
    goal: '≥ 5 M ops/s',
    pass: Q / (put.cpuMs / 1000) >= 5e6,
  });
  const fresh = timed(() => {
    for (let k = 0; k < 1_000_000; k++) store.put(STATES + (k % 50_000), k, 0, 0.1);
    store.commit();
  });
  rows.push({ id: 'put-new-keys', figure: 'put of 1 M new keys into the 10 M-entry store (growth included)', value: rate(1e6, fresh) });
  const closing = timed(() => store.close());
  rows.push({ id: 'close', figure: 'close (flush + sidecar) of the 11 M-entry store', value: secs(closing) });
  // The same overwrites with larger write batches: what 100-record batches cost in syscalls.
  const batched = OrbitStore.open(big, { writeThreshold: 10_000 });
  const putBig = best(3, () => {
    for (let k = 0; k < Q; k++) batched.put(qs[k]!, qt[k]!, k & 0xfe, qc[k]!);
    batched.commit();
  });
  rows.push({ id: 'put-threshold-10000', figure: 'put as above with writeThreshold 10,000', value: rate(Q, putBig) });
  // What one 100-record batch costs the file system here: the floor a threshold-100 put pays.
  const probe = join(dir, 'write-probe.bin');
  const pfd = openSync(probe, 'a');
  const batch = new Uint8Array(100 * 12);
  const writes = best(3, () => {
    for (let k = 0; k < 20_000; k++) writeSync(pfd, batch, 0, batch.length);
  });
  closeSync(pfd);
  rmSync(probe, { force: true });
  const perWrite = (writes.cpuMs * 1000) / 20_000;
  rows.push({
    id: 'append-batch',
    figure: 'one append of a 100-record batch (write(2) of 1,200 bytes)',
    value: `${perWrite.toFixed(1)} µs CPU = ${((perWrite * 1000) / 100).toFixed(0)} ns per put`,
  });
  batched.close();
  rows.push({ id: 'file-size', figure: 'file size after the benchmark', value: `${(statSync(big).size / 2 ** 20).toFixed(0)} MiB` });
  if (sink === 0.5) console.log('');
}
rmSync(big, { force: true });
rmSync(`${big}.gidx`, { force: true });

// --- listing one state's keys through every layer: 100 vs 1 M entries ------------------------
const phen = Int32Array.from({ length: STATES }, (_, i) => i & ~1);
function stackOf(entries: number): { view: OverlayView; states: number[]; close: () => void } {
  const base = OrbitStore.open(join(dir, `stack-${entries}.bin`), { writeThreshold: 10_000 });
  const reps = Math.max(1, Math.floor(entries / 4));
  for (let i = 0; i < entries; i++) base.put(2 * (i % reps), 1000 + i, 0, 0.5); // 4 keys per representative
  const own = OrbitStore.open(join(dir, `stack-${entries}-own.bin`));
  own.put(0, 1, 0, 0.5);
  const view = new OverlayView(new ReadOnlyView(new CanonicalView(base, phen)), own);
  const states = Array.from({ length: Math.min(reps, 25) }, (_, k) => 2 * Math.floor((k * reps) / 25) + 1);
  return {
    view,
    states,
    close: () => {
      view.close();
      base.close();
    },
  };
}
function listingNs(entries: number): number {
  const { view, states, close } = stackOf(entries);
  let keys = 0;
  const rounds = 20_000;
  for (let r = 0; r < rounds; r++) for (const s of states) for (const _ of view.iterKeysForState(s)) keys++;
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t = timed(() => {
      for (let r = 0; r < rounds; r++) for (const s of states) for (const _ of view.iterKeysForState(s)) keys++;
    });
    best = Math.min(best, (t.cpuMs * 1e6) / (rounds * states.length));
  }
  close();
  if (keys === 0) throw new Error('no keys listed');
  return best;
}
const small = listingNs(100);
const large = listingNs(1_000_000);
rows.push({
  id: 'list-100',
  figure: 'list one state (4 keys) via Overlay → ReadOnly → Canonical → OrbitStore, 100 entries',
  value: `${small.toFixed(0)} ns CPU`,
});
rows.push({
  id: 'list-1m',
  figure: 'same at 1 M entries (ratio to 100 entries)',
  value: `${large.toFixed(0)} ns (${(large / small).toFixed(2)}×)`,
  goal: 'same cost (≤ 2×)',
  pass: large / small <= 2,
});

memoryRow('10 M', 10_000_000);
rmSync(dir, { recursive: true, force: true });
report('@gyro/store', rows);
