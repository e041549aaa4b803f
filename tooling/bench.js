// Benchmark reporting shared by every package: each bench script measures its figures and
// hands them here as rows { figure, value, goal, pass }. We print one markdown table (figure,
// value, goal, machine) and keep the rows in .cache/bench/<package>.json so the root can
// gather one table for BENCHMARKS.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
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

export function report(pkg, rows) {
  const m = machine();
  const lines = [
    `| figure | value | goal | met | machine |`,
    `| --- | --- | --- | --- | --- |`,
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.goal ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'yes' : '**no**'} | ${m} |`),
  ];
  console.log(`\n${pkg}\n\n${lines.join('\n')}\n`);
  const dir = join(cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${pkg.replace(/[@/]/g, '_')}.json`), JSON.stringify({ pkg, machine: m, date: new Date().toISOString(), rows }, null, 2));
  return lines.join('\n');
}
