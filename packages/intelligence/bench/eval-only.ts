/** Only `gyro eval`'s figures (bench/eval.ts), printed as the README table and as JSON. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngine } from '@gyro/information/testing';
import { report } from '@gyro/tooling/bench';
import { evalFigures } from './eval.js';

const tmp = mkdtempSync(join(tmpdir(), 'gyro-bench-eval-'));
try {
  const { rows, figures } = evalFigures(await testEngine('stt-free'), tmp);
  console.log(JSON.stringify(figures, null, 1));
  if (process.argv.includes('--report')) report('@gyro/intelligence eval', rows);
  else for (const r of rows) console.log(`| ${r.figure} | ${r.value} | ${r.goal ?? ''} |`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
