// `pnpm api:check` must fail, naming the package and the command to run, when a package's
// built API no longer matches its checked-in report, and pass when it does. This runs the
// root scripts' own command (read from the root package.json) on a scratch package: its
// "built" declarations are written by hand, then changed the way a new export would change them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../golden.js';

const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
const scratch = mkdtempSync(join(repoRoot, 'tooling', 'test', 'scratch-api-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run a root script (`node tooling/api-report.mjs …`) on the scratch package alone. */
// Asynchronous, so vitest's worker stays responsive during the few seconds a run takes.
function run(script) {
  const [cmd, ...args] = scripts[script].split(/\s+/);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args, scratch], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output }));
  });
}

const exportsOf = (entries) =>
  Object.fromEntries(entries.map(([subpath, file]) => [subpath, { import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` } }]));

function pkg(entries) {
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: '@gyro/scratch-api', version: '0.0.0', type: 'module', exports: exportsOf(entries) }));
}

function dts(file, text) {
  mkdirSync(join(scratch, 'dist'), { recursive: true });
  writeFileSync(join(scratch, 'dist', `${file}.d.ts`), text);
}

const report = join(scratch, 'etc', 'scratch-api.api.md');
const internalsReport = join(scratch, 'etc', 'scratch-api-internals.api.md');

describe('pnpm api:check and pnpm api:update', async () => {
  it('update writes a report per entry point, and check passes on it', async () => {
    pkg([
      ['.', 'index'],
      ['./internals', 'internals'],
    ]);
    dts('index', 'export declare function greet(name: string): string;\n');
    dts('internals', 'export declare const TABLE: Uint8Array;\n');
    expect(await run('api:update')).toMatchObject({ status: 0 });
    expect(readFileSync(report, 'utf8')).toContain('export function greet(name: string): string;');
    expect(readFileSync(internalsReport, 'utf8')).toContain('export const TABLE: Uint8Array;');
    expect(await run('api:check')).toMatchObject({ status: 0 });
  }, 120_000);

  it('check fails on a new export and on a changed signature, naming package, entry and command', async () => {
    dts('index', 'export declare function greet(name: string): string;\nexport declare function shout(name: string): string;\n');
    dts('internals', 'export declare const TABLE: Uint16Array;\n');
    const r = await run('api:check');
    expect(r.status).toBe(1);
    expect(r.output).toContain('@gyro/scratch-api (root entry): the API report');
    expect(r.output).toMatch(/\n\+export function shout\(name: string\): string;\n/);
    expect(r.output).toContain('@gyro/scratch-api (./internals): the API report');
    expect(r.output).toMatch(/\n-export const TABLE: Uint8Array;\n\+export const TABLE: Uint16Array;\n/);
    expect(r.output).toContain('run `pnpm build && pnpm api:update`');
    // The check leaves the reports as they were.
    expect(readFileSync(report, 'utf8')).not.toContain('shout');
    dts('index', 'export declare function greet(name: string): string;\n');
    dts('internals', 'export declare const TABLE: Uint8Array;\n');
  }, 120_000);

  it('check fails on a report whose entry point is gone, and update removes it', async () => {
    pkg([['.', 'index']]);
    const r = await run('api:check');
    expect(r.status).toBe(1);
    expect(r.output).toContain('scratch-api-internals.api.md reports an entry point the package no longer exports');
    expect(await run('api:update')).toMatchObject({ status: 0 });
    expect(existsSync(internalsReport)).toBe(false);
    expect(existsSync(report)).toBe(true);
  }, 120_000);
});
