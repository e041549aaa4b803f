import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@gyro/tooling/golden';
import { gyro } from './lib/engine-test-support.js';

describe('gyro', () => {
  it('prints its version (the package version) with --version and -V', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) expect(gyro([flag])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('lists every command family in --help', () => {
    const r = gyro(['--help']);
    for (const family of ['assets', 'tape', 'store', 'ingest', 'corpus', 'explain', 'generate', 'chat', 'serve'])
      expect(r.stdout).toMatch(new RegExp(`^  ${family}\\b`, 'm'));
  });
});
