// The store's hot paths against an earlier commit's, in one process, round by round:
//   pnpm bench:against <git-ref>   (in packages/store; default ref HEAD~1)
// The ref's store and information sources are extracted under .cache/against/<sha> (inside this
// package, so other imports resolve to this package's dependencies); both versions open a copy of one 10 M-record log and
// take turns, 12 rounds, alternating who goes first. On this shared VM two runs of one build
// differ by up to 2x, while the per-round ratio of two builds in one process stays within a few
// per cent: that ratio is the figure to read.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '@gyro/tooling/golden';
import { randomKeys, writeLog } from './write-log.js';

const ref = process.argv[2] ?? 'HEAD~1';
const pkg = join(import.meta.dirname, '..');
const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: pkg, encoding: 'utf8' }).trim();
const extracted = join(pkg, '.cache', 'against', sha);
if (!existsSync(join(extracted, 'store'))) {
  // The ref's store and the @gyro/information it was built against (its root exports then).
  mkdirSync(extracted, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} packages/store/src packages/information/src | tar -x --strip-components=1 -C "${extracted}"`], {
    cwd: join(pkg, '..', '..'),
  });
  const information = join(extracted, 'information', 'src', 'index.ts');
  for (const file of execFileSync('find', [join(extracted, 'store', 'src'), '-name', '*.ts'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean))
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll("from '@gyro/information'", `from '${information}'`));
}
type Store = { getPacked(s: number, t: number): number; put(s: number, t: number, m: number, c: number): void; commit(): void; close(): void };
type Mod = { OrbitStore: { open(path: string): Store } };
const builds: Record<string, Mod> = { [sha]: await import(join(extracted, 'store', 'src', 'index.ts')), current: await import('../src/index.js') };

const N = 10_000_000;
const Q = 1 << 21;
const dir = join(cacheDir, 'bench', 'store-against');
mkdirSync(dir, { recursive: true });
const log = join(dir, 'ten-million.bin');
if (!existsSync(log)) writeLog(log, N);
const { qs, qt, qc } = randomKeys(Q, N);
const names = Object.keys(builds);
const stores = names.map((name) => {
  const path = join(dir, `${name}.bin`);
  rmSync(`${path}.gidx`, { force: true });
  copyFileSync(log, path);
  return builds[name]!.OrbitStore.open(path);
});
const cpuMs = (fn: () => void) => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
let sink = 0;
const rates = names.map(() => ({ get: [] as number[], put: [] as number[] }));
for (let round = 0; round < 12; round++) {
  for (const b of round % 2 ? [1, 0] : [0, 1]) {
    const s = stores[b]!;
    rates[b]!.get.push(
      Q /
        cpuMs(() => {
          for (let k = 0; k < Q; k++) sink += s.getPacked(qs[k]!, qt[k]!);
        }) /
        1000,
    );
    rates[b]!.put.push(
      Q /
        cpuMs(() => {
          for (let k = 0; k < Q; k++) s.put(qs[k]!, qt[k]!, k & 0xfe, qc[k]!);
          s.commit();
        }) /
        1000,
    );
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const op of ['get', 'put'] as const) {
  const ratio = median(rates[1]![op].map((v, i) => v / rates[0]![op][i]!));
  console.log(
    `${op}: ${sha} ${median(rates[0]![op]).toFixed(2)} M ops/s, current ${median(rates[1]![op]).toFixed(2)} M ops/s (medians of 12 rounds); current/${sha} per round, median: ${ratio.toFixed(3)}`,
  );
}
for (const s of stores) s.close();
for (const name of names) rmSync(join(dir, `${name}.bin`), { force: true });
if (sink === 0.5) console.log(sink); // keeps the reads
