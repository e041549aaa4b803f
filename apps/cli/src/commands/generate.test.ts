import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliSuite, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-generate-', { licences: 'a.bin' });

beforeAll(() => copyFileSync(fx.store, fx.path('b.bin')));

describe('gyro generate', () => {
  it('replies to a prompt; the same seed on the same knowledge gives the same reply', async () => {
    const run = (store: string) =>
      runGyro([
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
        fx.assets,
        '--store',
        fx.path(store),
      ]);
    const a = await run('a.bin');
    const b = await run('b.bin');
    expect(a.code).toBe(0);
    const ra = JSON.parse(a.stdout);
    expect(ra.tokens.length).toBeGreaterThan(0);
    expect(ra.completionTokens).toBeLessThanOrEqual(6);
    expect(typeof ra.text).toBe('string');
    expect(ra.budgetCutoffs).toBe(0);
    expect(JSON.parse(b.stdout).tokens).toEqual(ra.tokens);
    const plain = await runGyro(['generate', '--prompt', 'the software', '--max-tokens', '3', '--assets', fx.assets, '--store', fx.path('a.bin')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout.endsWith('\n')).toBe(true);
  });

  it('rejects a bad flag value with one line', async () => {
    const r = await runGyro(['generate', '--prompt', 'x', '--max-tokens', 'many', '--assets', fx.assets, '--store', fx.path('a.bin')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: --max-tokens must be a non-negative integer, got "many"');
  });

  it('refuses a missing store with one line, creating nothing', async () => {
    const typo = fx.path('typo.bin');
    const r = await runGyro(['generate', '--prompt', 'x', '--assets', fx.assets, '--store', typo]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`gyro: no knowledge store at ${typo} (check --store, or learn something first: gyro ingest FILE --store ${typo})`);
    expect(readdirSync(fx.dir).filter((f) => f.startsWith('typo'))).toEqual([]);
  });

  it('leaves its store byte-identical (and its folder as it was) unless --learn, which keeps what the agent learned', async () => {
    const store = fx.store;
    copyFileSync(fx.path('a.bin'), store);
    const sha = () => createHash('sha256').update(readFileSync(store)).digest('hex');
    const before = sha();
    const files = readdirSync(fx.dir).sort();
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
      fx.assets,
      '--store',
      store,
    ];
    const read = await runGyro(args);
    expect(read.code).toBe(0);
    expect(sha()).toBe(before);
    expect(readdirSync(fx.dir).sort()).toEqual(files);
    // The same reply as a learning run: the agent still learns as it goes, in a scratch layer.
    const learned = await runGyro([...args, '--learn']);
    expect(learned.code).toBe(0);
    expect(JSON.parse(learned.stdout).tokens).toEqual(JSON.parse(read.stdout).tokens);
    expect(sha()).not.toBe(before);
  });

  it('says so in --help', async () => {
    const r = await runGyro(['generate', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('--learn keep what the agent learns');
  });
});
