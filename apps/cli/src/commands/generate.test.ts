import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetsDir, gyro, learnLicences, tempDir } from '../lib/engine-test-support.js';

const tmp = tempDir('gyro-cli-generate-');
let assets = '';

beforeAll(async () => {
  assets = await assetsDir();
  learnLicences(assets, join(tmp.dir, 'a.bin'));
  copyFileSync(join(tmp.dir, 'a.bin'), join(tmp.dir, 'b.bin'));
});
afterAll(() => tmp.cleanup());

describe('gyro generate', () => {
  it('replies to a prompt; the same seed on the same knowledge gives the same reply', () => {
    const run = (store: string) => gyro(['generate', '--prompt', 'you may copy and distribute', '--max-tokens', '6', '--seed', '7', '--budget-ms', '60000', '--json', '--assets', assets, '--store', join(tmp.dir, store)]);
    const a = run('a.bin');
    const b = run('b.bin');
    expect(a.code).toBe(0);
    const ra = JSON.parse(a.stdout);
    expect(ra.tokens.length).toBeGreaterThan(0);
    expect(ra.completionTokens).toBeLessThanOrEqual(6);
    expect(typeof ra.text).toBe('string');
    expect(ra.budgetCutoffs).toBe(0);
    expect(JSON.parse(b.stdout).tokens).toEqual(ra.tokens);
    const plain = gyro(['generate', '--prompt', 'the software', '--max-tokens', '3', '--assets', assets, '--store', join(tmp.dir, 'a.bin')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout.endsWith('\n')).toBe(true);
  });

  it('rejects a bad flag value with one line', () => {
    const r = gyro(['generate', '--prompt', 'x', '--max-tokens', 'many', '--assets', assets, '--store', join(tmp.dir, 'a.bin')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: --max-tokens must be a non-negative integer, got "many"');
  });
});
