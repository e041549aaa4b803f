// Benchmark reporting shared by every package: each bench script measures its figures and
// hands them here as rows { id, figure, value, goal, pass }. We print one markdown table and
// keep the rows in .cache/bench/<suite>.json; tooling/bench-table.js (`pnpm bench:table`, run
// by the root `pnpm bench`) takes them into benchmarks.json, the record kept in git, and writes
// BENCHMARKS.md and each package README's table from it. `id` names a row for good: it keys the
// row in benchmarks.json and is its anchor in BENCHMARKS.md, so the figure text may carry
// measured detail ("2000 candidates", "537 probes") and still be the same row next run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './golden.js';

export function machine() {
  const cpu = cpus();
  return `${cpu.length}× ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Wall time of fn in milliseconds (fn may be async). */
export async function timeMs(fn) {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

export const ROW_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Throws unless every row has a well-formed id, unique in the suite. */
export function checkRowIds(suite, rows) {
  const seen = new Set();
  for (const r of rows) {
    if (typeof r.id !== 'string' || !ROW_ID.test(r.id)) throw new Error(`${suite}: row "${r.figure}" needs an id of lower-case words joined by -, got ${r.id}`);
    if (seen.has(r.id)) throw new Error(`${suite}: row id ${r.id} appears twice`);
    seen.add(r.id);
  }
}

/** File name of a suite's results in .cache/bench. */
export function cacheFile(suite) {
  return `${suite.replace(/[@/]/g, '_')}.json`;
}

export function met(pass) {
  return pass === undefined ? '' : pass ? 'yes' : '**no**';
}

/** Prints a suite's rows and keeps them in .cache/bench for bench-table.js. `suite` is the package name, optionally followed by a word ("@gyro/adapter page"). */
export function report(suite, rows) {
  checkRowIds(suite, rows);
  const m = machine();
  const lines = [
    `| id | figure | value | goal | met | machine |`,
    `| --- | --- | --- | --- | --- | --- |`,
    ...rows.map((r) => `| ${r.id} | ${r.figure} | ${r.value} | ${r.goal ?? ''} | ${met(r.pass)} | ${m} |`),
  ];
  console.log(`\n${suite}\n\n${lines.join('\n')}\n`);
  const dir = join(cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  // The VM's speed follows its load (other jobs share the cores): keep the load beside the figures.
  const load = Number(loadavg()[0].toFixed(2));
  writeFileSync(join(dir, cacheFile(suite)), JSON.stringify({ pkg: suite, machine: m, date: new Date().toISOString(), load, rows }, null, 2));
  return lines.join('\n');
}
