// `pnpm lint` and `pnpm format:check` must fail on a new unused variable and on a mis-formatted
// file, and pass on the tree as it is. This runs the root scripts' own Biome commands (read from
// the root package.json) on files written to a scratch folder inside the repository, so the
// root configuration (tooling/biome.json) applies to them exactly as to the sources.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../golden.js';

const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
const biome = join(repoRoot, 'node_modules', '.bin', 'biome');
const scratch = mkdtempSync(join(repoRoot, 'tooling', 'test', 'scratch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run a root script's biome command (`biome lint`, …) on one path instead of the tree. */
function run(script, path) {
  const words = scripts[script].split(/\s+/);
  expect(words[0]).toBe('biome');
  const args = [...words.slice(1).filter((w) => w !== '.'), path];
  const r = spawnSync(biome, args, { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function file(name, text) {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const clean = `export function double(x: number): number {
  const twice = x * 2;
  return twice;
}
`;

describe('pnpm lint and pnpm format:check', () => {
  it('pass on a clean file', () => {
    const path = file('clean.ts', clean);
    expect(run('lint', path)).toMatchObject({ status: 0 });
    expect(run('format:check', path)).toMatchObject({ status: 0 });
  });

  it('lint fails on a new unused variable', () => {
    const path = file('unused.ts', clean.replace('  return twice;', '  const forgotten = 3;\n  return twice;'));
    const r = run('lint', path);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/noUnusedVariables/);
  });

  it('lint and format:check fail on a mis-formatted file', () => {
    const path = file('misformatted.ts', clean.replace('  const twice = x * 2;', '    const twice = x*2;').replace('number {', 'number{'));
    for (const script of ['lint', 'format:check']) {
      const r = run(script, path);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/format/i);
    }
  });
});
