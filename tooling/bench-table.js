#!/usr/bin/env node
// Gathers every package's latest benchmark rows (.cache/bench/*.json, written by
// tooling/bench.js) into one table, printed and written to BENCHMARKS.md at the root.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './golden.js';
import { machine } from './bench.js';

const dir = join(cacheDir, 'bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
const lines = [
  '# Benchmarks',
  '',
  `Measured by \`pnpm bench\` at the repository root (this table last written on ${machine()}).`,
  'Each package README holds its own table and the command that reproduces it.',
  '',
  '| package | figure | value | goal | met | machine | measured |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const f of files) {
  const { pkg, date, rows, machine: where } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  for (const r of rows) {
    const met = r.pass === undefined ? '' : r.pass ? 'yes' : '**no**';
    lines.push(`| ${pkg} | ${r.figure} | ${r.value} | ${r.goal ?? ''} | ${met} | ${where ?? ''} | ${date.slice(0, 10)} |`);
  }
}
const text = `${lines.join('\n')}\n`;
writeFileSync(join(repoRoot, 'BENCHMARKS.md'), text);
console.log(text);
