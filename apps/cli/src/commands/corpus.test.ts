import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { cliSuite, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-corpus-');

describe('gyro corpus wordnet', () => {
  it('learns the first N glosses into the store and reports them in one JSON line', async () => {
    const store = fx.path('k.bin');
    const r = await runGyro(['corpus', 'wordnet', '--limit', '300', '--store', store, '--assets', fx.assets, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(s).toMatchObject({ corpus: 'wordnet', store, documents: 300 });
    expect(s.tokens).toBeGreaterThan(300 * 3);
    expect(s.learned).toBe(s.tokens - 300); // every token but each gloss's [SEP]
    expect(s.entries).toBeGreaterThan(0);
    const stats = await runGyro(['store', 'stats', '--store', store, '--json']);
    expect(JSON.parse(stats.stdout).liveEntries).toBe(s.entries);
  });

  it('learns exactly what gyro ingest learns from the same glosses one per line', async () => {
    const viaCorpus = fx.path('a.bin');
    const viaIngest = fx.path('b.bin');
    const glossFile = fx.path('glosses.txt');
    writeFileSync(glossFile, `${[...wordnetGlosses(40)].join('\n')}\n`);
    expect((await runGyro(['corpus', 'wordnet', '--limit', '40', '--store', viaCorpus, '--assets', fx.assets, '-q'])).code).toBe(0);
    expect((await runGyro(['ingest', glossFile, '--store', viaIngest, '--assets', fx.assets, '-q'])).code).toBe(0);
    const exported = (await runGyro(['store', 'export', '--store', viaCorpus])).stdout;
    expect(exported.split('\n').length).toBeGreaterThan(100);
    expect((await runGyro(['store', 'export', '--store', viaIngest])).stdout).toBe(exported);
  });

  it('refuses a bad --limit in one line', async () => {
    const r = await runGyro(['corpus', 'wordnet', '--limit', 'lots', '--store', fx.path('c.bin'), '--assets', fx.assets]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: --limit must be a non-negative integer, got "lots"');
  });
});
