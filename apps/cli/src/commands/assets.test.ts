import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenJson, goldenPath } from '@gyro/tooling/golden';
import { cliSuite, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-assets-', { assets: false });

describe('gyro assets', () => {
  it('build writes the five files with the reference hashes (a fresh build: the honest proof), verify agrees', async () => {
    const dir = fx.path('assets');
    const golden = goldenJson<{ files: Record<string, string> }>('assets.json');
    const b = await runGyro(['assets', 'build', '--dir', dir, '--quiet']);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(
      /states 788986 \(BFS layers 255, 10449, 151191, 473304, 151410, 2376\), archetype at 549871, 256 orbits, largest 48496, 24 θ values/,
    );
    for (const [name, sha] of Object.entries(golden.files)) expect(b.stdout).toMatch(new RegExp(`${name.replace('.', '\\.')} .* sha256 ${sha}`));
    const v = await runGyro(['assets', 'verify', '--assets', dir, '--expect', goldenPath('assets.json'), '--quiet']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^verified /);
    expect(v.stdout.match(/^ {2}ok /gm)).toHaveLength(5);

    // Damage one file: verify fails with exit 1, readable lines, no stack.
    const theta = readFileSync(join(dir, 'theta.npy'));
    writeFileSync(join(dir, 'theta.npy'), theta.subarray(0, theta.length - 4));
    const bad = await runGyro(['assets', 'verify', '--dir', dir, '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAILED /);
    expect(bad.stdout).toMatch(/BAD theta\.npy/);
    expect(bad.stderr).toMatch(/theta\.npy is truncated/);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/^gyro: the meta-assets in .* failed verification .*gyro assets build/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('verify of a folder without assets is one line and exit 1', async () => {
    const r = await runGyro(['assets', 'verify', '--dir', fx.path('nothing-here')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gyro: no meta-assets in ${fx.path('nothing-here')}; build them with: gyro assets build --dir ${fx.path('nothing-here')}\n`);
  });

  it('--dir and --assets must agree; path prints the default folder', async () => {
    const r = await runGyro(['assets', 'verify', '--dir', '/a', '--assets', '/b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gyro: --dir \/a and --assets \/b disagree/);
    expect((await runGyro(['assets', 'path'], { env: { GYRO_ASSETS: '/x/y' } })).stdout).toBe('/x/y\n');
    expect((await runGyro(['assets', 'path'], { env: { GYRO_ASSETS: '', XDG_CACHE_HOME: '/c' } })).stdout).toBe('/c/gyro/assets\n');
  });

  it('every subcommand has --help', async () => {
    for (const sub of [[], ['build'], ['verify'], ['path']]) {
      const r = await runGyro(['assets', ...sub, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: gyro assets/);
    }
    expect((await runGyro(['assets', 'build', '--help'])).stdout).toMatch(/--dir <dir>.*GYRO_ASSETS/s);
  });
});
