import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@gyro/tooling/golden';
import { runGyro } from '../test/fixture.js';

describe('gyro', () => {
  it('prints its version (the package version) with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) expect(await runGyro([flag])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('lists every command family in --help', async () => {
    const r = await runGyro(['--help']);
    for (const family of ['assets', 'tape', 'store', 'ingest', 'corpus', 'explain', 'generate', 'chat', 'serve'])
      expect(r.stdout).toMatch(new RegExp(`^  ${family}\\b`, 'm'));
  });
});
