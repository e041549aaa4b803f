// Packaging: every publishable package packs (`pnpm pack`, which turns `workspace:^` into real
// versions), the tarballs install together into a scratch project outside the workspace
// (`npm install`, the rest from the registry), and the README examples marked for testing run
// there. A README code block whose info string is `ts example` (run with tsx) or `sh example`
// (run with bash -e) is such an example; examples that need the meta-assets find them through
// GYRO_ASSETS (the repo's .cache/assets). Packs what dist/ holds: `pnpm test` builds first.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAssetsDir } from '@gyro/information/testing';
import { repoRoot } from '@gyro/tooling/golden';
import { runProcess } from '@gyro/tooling/run';

const PACKAGES = [
  'packages/information',
  'packages/corpus-wordnet',
  'packages/tokenizer',
  'packages/store',
  'packages/store-redis',
  'packages/intelligence',
  'apps/adapter',
  'apps/cli',
];
const scratch = mkdtempSync(join(tmpdir(), 'gyro-packaging-'));
const tarballs = join(scratch, 'tarballs');
const project = join(scratch, 'project');
let assets = '';
let installLog = '';

async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, withStderr = false) {
  const r = await runProcess(cmd, args, { cwd, env: { ...process.env, ...env } });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.code ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return withStderr ? `${r.stdout}\n${r.stderr}` : r.stdout;
}

/** The code blocks of a README fenced as ```ts example or ```sh example, in order. */
export function readmeExamples(markdown: string): Array<{ lang: 'ts' | 'sh'; code: string }> {
  const out: Array<{ lang: 'ts' | 'sh'; code: string }> = [];
  for (const m of markdown.matchAll(/^```(ts|sh) example\n([\s\S]*?)^```$/gm)) out.push({ lang: m[1] as 'ts' | 'sh', code: m[2]! });
  return out;
}

beforeAll(async () => {
  assets = await testAssetsDir();
  mkdirSync(tarballs);
  mkdirSync(project);
  for (const p of PACKAGES) await run('pnpm', ['pack', '--pack-destination', tarballs], join(repoRoot, p));
  // The override @gyro/adapter's README gives npm users on Node 20 (cookie@2 asks for Node 22).
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module', overrides: { 'light-my-request': { cookie: '^1.1.1' } } }),
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  // Warnings kept (loglevel warn): an engine warning on this Node would fail the test below.
  installLog = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn', ...files], project, {}, true);
}, 600_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(PACKAGES)('%s, packed and installed outside the workspace', (dir) => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8'));

  it('is complete: exports with types for import and require, files, engines, metadata, MIT licence file, real dependency versions', () => {
    const installed = join(project, 'node_modules', manifest.name);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(pkg.engines.node).toMatch(/^>=20/);
    for (const [sub, entry] of Object.entries(
      pkg.exports as Record<string, { import: { types: string; default: string }; require: { types: string; default: string } } | string>,
    )) {
      if (typeof entry === 'string') continue; // ./package.json
      // ESM types (.d.ts) for import, CJS types (.d.cts) for require: no "masquerading as ESM".
      expect(entry.import.types, sub).toMatch(/\.d\.ts$/);
      expect(entry.require.types, sub).toMatch(/\.d\.cts$/);
      for (const target of [entry.import.types, entry.import.default, entry.require.types, entry.require.default])
        expect(() => readFileSync(join(installed, target)), target).not.toThrow();
      // node10 resolution has no exports map: typesVersions points each subpath at its types.
      if (sub !== '.') expect(pkg.typesVersions['*'][sub.slice(2)]).toEqual([entry.import.types]);
    }
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.repository.directory).toBe(dir);
    expect(pkg.homepage).toContain(dir);
    expect(pkg.bugs.url).toMatch(/\/issues$/);
    expect(pkg.keywords.length).toBeGreaterThan(3);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('MIT License');
    expect(readFileSync(join(installed, 'README.md'), 'utf8')).toContain(manifest.name);
    for (const [name, range] of Object.entries({ ...pkg.dependencies })) expect(`${name}@${range}`).not.toContain('workspace:');
    expect(readdirSync(installed).sort()).toEqual([...manifest.files, 'package.json'].sort());
  });

  it('has a README that says how to install it and cites nothing it does not ship', () => {
    const readme = readFileSync(join(project, 'node_modules', manifest.name, 'README.md'), 'utf8');
    expect(readme).toContain(`npm install ${manifest.name}`);
    // The spec and the repository's other files are not in the tarball.
    expect(readme).not.toMatch(/SPEC §|SPEC\.md/);
  });

  it('runs the examples of its README', async () => {
    const examples = readmeExamples(readFileSync(join(repoRoot, dir, 'README.md'), 'utf8'));
    expect(examples.length).toBeGreaterThan(0);
    const name = manifest.name.replace(/[@/]/g, '_');
    for (const [i, { lang, code }] of examples.entries()) {
      const file = join(project, `${name}-${i}.${lang}`);
      writeFileSync(file, code);
      const env = { GYRO_ASSETS: assets, GYRO_PROBE: '' };
      if (lang === 'ts') await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [file], project, env);
      else await run('bash', ['-e', file], project, env);
    }
  });
});

it('installs without an engine warning on this Node', () => {
  expect(installLog).not.toMatch(/EBADENGINE/);
});
