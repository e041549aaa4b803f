// The package's bin (`gyro-adapter`, dist/cli.js): its help is generated from the settings table.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '@gyro/tooling/run';
import { PREFERENCES_OPTION, SETTINGS, settingHelp } from '../src/config.js';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(appDir, 'dist', 'cli.js');

describe('gyro-adapter (bin)', () => {
  it('is the package bin, runnable directly', () => {
    const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['gyro-adapter']).toBe('./dist/cli.js');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--help lists every setting with its default and environment variable', async () => {
    const { code, stdout: out } = await runProcess(process.execPath, [cli, '--help']);
    expect(code).toBe(0);
    for (const s of SETTINGS) expect(out).toMatch(new RegExp(`${s.flag} <${s.arg}> +${settingHelp(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(out).toContain(`${PREFERENCES_OPTION.flag} <${PREFERENCES_OPTION.arg}>`);
  });

  it('refuses an unknown flag in one line, exit 1', async () => {
    const r = await runProcess(process.execPath, [cli, '--max-agent', '10'], { env: { ...process.env, GYRO_HUGE_PAGES: '0' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^gyro adapter: unknown option --max-agent \(known: /);
  });
});
