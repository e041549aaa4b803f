import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
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
    const run = (store: string) =>
      gyro([
        'generate',
        '--prompt',
        'you may copy and distribute',
        '--max-tokens',
        '6',
        '--seed',
        '7',
        '--budget-ms',
        '60000',
        '--json',
        '--assets',
        assets,
        '--store',
        join(tmp.dir, store),
      ]);
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

  it('refuses a missing store with one line, creating nothing', () => {
    const typo = join(tmp.dir, 'typo.bin');
    const r = gyro(['generate', '--prompt', 'x', '--assets', assets, '--store', typo]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`gyro: no knowledge store at ${typo} (check --store, or learn something first: gyro ingest FILE --store ${typo})`);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('typo'))).toEqual([]);
  });

  it('leaves its store byte-identical (and its folder as it was) unless --learn, which keeps what the agent learned', () => {
    const store = join(tmp.dir, 'c.bin');
    copyFileSync(join(tmp.dir, 'a.bin'), store);
    const sha = () => createHash('sha256').update(readFileSync(store)).digest('hex');
    const before = sha();
    const files = readdirSync(tmp.dir).sort();
    const args = [
      'generate',
      '--prompt',
      'you may copy and distribute the software',
      '--max-tokens',
      '8',
      '--seed',
      '3',
      '--budget-ms',
      '60000',
      '--json',
      '--assets',
      assets,
      '--store',
      store,
    ];
    const read = gyro(args);
    expect(read.code).toBe(0);
    expect(sha()).toBe(before);
    expect(readdirSync(tmp.dir).sort()).toEqual(files);
    // The same reply as a learning run: the agent still learns as it goes, in a scratch layer.
    const learned = gyro([...args, '--learn']);
    expect(learned.code).toBe(0);
    expect(JSON.parse(learned.stdout).tokens).toEqual(JSON.parse(read.stdout).tokens);
    expect(sha()).not.toBe(before);
  });

  it('says so in --help', () => {
    const r = gyro(['generate', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('--learn keep what the agent learns');
  });
});
