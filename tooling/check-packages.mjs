#!/usr/bin/env node
// Pack every publishable package of the workspace (as `pnpm publish` would) and check each
// tarball with publint --strict and @arethetypeswrong/cli (node10, node16 CJS and ESM,
// bundler). Any error fails: exit 1, with each tool's report. Run: pnpm check:packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['packages', 'apps'].flatMap((group) => readdirSync(join(root, group)).map((d) => join(root, group, d)));
const packages = dirs.filter((d) => {
  try {
    return JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).private !== true;
  } catch {
    return false;
  }
});
const out = mkdtempSync(join(tmpdir(), 'gyro-check-packages-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
try {
  for (const dir of packages) {
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
    const before = new Set(readdirSync(out));
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = join(
      out,
      readdirSync(out).find((f) => !before.has(f) && f.endsWith('.tgz')),
    );
    for (const [tool, args] of [
      ['publint', ['--strict', tarball]],
      ['attw', [tarball, '--format', 'ascii']],
    ]) {
      const r = spawnSync(bin(tool), args, { encoding: 'utf8' });
      const ok = r.status === 0;
      if (!ok) failed++;
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${tool} ${name}\n`);
      if (!ok || process.env.VERBOSE) process.stdout.write(`${r.stdout}${r.stderr}\n`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed) {
  process.stderr.write(`check:packages: ${failed} check(s) failed\n`);
  process.exit(1);
}
process.stdout.write(`check:packages: publint --strict and attw pass on ${packages.length} packages\n`);
